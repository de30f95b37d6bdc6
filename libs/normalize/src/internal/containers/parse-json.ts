/** Result of {@link parseJson}. */
export type ParsedJson = { ok: true; value: unknown } | { ok: false; detail: string };

/**
 * Parses JSON text without throwing. The failure detail keeps V8's description and
 * position but drops the excerpt of the input that V8 quotes, because record content must
 * not reach error messages and logs.
 */
export function parseJson(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, detail: message.replace(/, ".*" is not valid JSON$/s, ' in JSON') };
  }
}
