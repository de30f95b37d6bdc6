/**
 * Export files as the Azure and GCP evaluators read them: parsed JSON values that remember
 * their file and line, and the problems found while reading them. Reading files is the
 * caller's job, so this code stays free of I/O.
 */

/** One JSON value read from an export file. */
export interface ExportDocument {
  /** File name or other label, repeated in every problem about this document. */
  readonly source: string;
  /** The parsed JSON value: an array, an object or an NDJSON line. */
  readonly value: unknown;
  /** 1-based line of an NDJSON line; absent when the whole file is one JSON value. */
  readonly line?: number;
}

/**
 * A record of an export that could not be used, or was used only in part. Evaluation goes
 * on without it, and the caller reports it.
 */
export interface ExportProblem {
  /** Stable code, such as `CIEM_ENTITLEMENTS_INVALID_RECORD`. */
  readonly code: string;
  /** File name or label of the document. */
  readonly source: string;
  /** Where in the file: `line 12`, `[3]`, `line 4 [0]`. */
  readonly record: string;
  /** Field at fault, such as `properties.principalId`; empty when the whole record is. */
  readonly field: string;
  readonly message: string;
}

/**
 * Codes of the problems that export readers report. Each is stable and never reused.
 */
export const ExportProblemCode = {
  /** A file or line is not JSON. */
  invalidJson: 'CIEM_ENTITLEMENTS_INVALID_JSON',
  /** A record lacks a required field or has one of the wrong type. */
  invalidRecord: 'CIEM_ENTITLEMENTS_INVALID_RECORD',
  /** A JSON value matches none of the export shapes the reader knows. */
  unknownRecord: 'CIEM_ENTITLEMENTS_UNKNOWN_RECORD',
  /** A grant names a role with no definition in the export; it is kept as a pattern. */
  unknownRole: 'CIEM_ENTITLEMENTS_UNKNOWN_ROLE',
} as const;

/** Describes a record's position for a problem: `line 4 [2]`, `[2]`, or `line 4`. */
export function recordPosition(document: ExportDocument, index?: number): string {
  const parts: string[] = [];
  if (document.line !== undefined) parts.push(`line ${document.line}`);
  if (index !== undefined) parts.push(`[${index}]`);
  return parts.length === 0 ? 'document' : parts.join(' ');
}

/**
 * Parses the text of an export file: one JSON value (`az` and `gcloud` output, REST pages),
 * or NDJSON with one value per line (Cloud Asset Inventory exports). A blank line is
 * skipped; a line that is not JSON becomes a `CIEM_ENTITLEMENTS_INVALID_JSON` problem and
 * the other lines are still read.
 */
export function parseExportText(
  source: string,
  text: string,
): { documents: ExportDocument[]; problems: ExportProblem[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let wholeFileError: Error;
  try {
    return { documents: [{ source, value: JSON.parse(body) as unknown }], problems: [] };
  } catch (error) {
    // Not one JSON value: read it as NDJSON below.
    wholeFileError = error as Error;
  }

  const documents: ExportDocument[] = [];
  const problems: ExportProblem[] = [];
  const lines = body.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = (lines[index] as string).trim();
    if (line === '') continue;
    try {
      documents.push({ source, value: JSON.parse(line) as unknown, line: index + 1 });
    } catch (error) {
      if (documents.length === 0 && problems.length === 0) {
        // The first value is broken: a damaged JSON document, not NDJSON with one bad line,
        // so one problem for the file says more than one per line.
        return {
          documents: [],
          problems: [
            {
              code: ExportProblemCode.invalidJson,
              source,
              record: 'document',
              field: '',
              message: `${source} is not JSON or NDJSON (${wholeFileError.message}); expected one JSON document per file or one JSON value per line`,
            },
          ],
        };
      }
      problems.push({
        code: ExportProblemCode.invalidJson,
        source,
        record: `line ${index + 1}`,
        field: '',
        message: `line ${index + 1} of ${source} is not JSON (${(error as Error).message}); expected one JSON document per file or one JSON value per line`,
      });
    }
  }
  return { documents, problems };
}
