/**
 * Readers of one object key under its spellings, compiled with the spellings as literal
 * property names.
 *
 * V8 speeds up a property read with an inline cache at each read site in the code. The
 * shared readers of read-field.ts have one site for every key of every record shape, so
 * their cache gives up. There a key that the object lacks costs a slow lookup, about 25
 * to 35 ns per spelling on Node 20, against about 2 ns at a site that reads one key. These
 * are measurements of a micro-benchmark on the records of `bench/corpus.ts`, on a 2-vCPU
 * virtual machine. A function compiled from source text gets sites of its own, which
 * closures of one function literal do not, because they share their feedback. Key names
 * are written into the source as JSON string literals, so no key can inject code.
 */

/** Reads one key of a non-array object, as `getSpelledProperty` of read-field.ts does. */
export type KeyReader = (record: Record<string, unknown>) => unknown;

/**
 * Compiles a reader that returns the first of `spellings` (distinct names, exact spelling
 * first) whose value is not undefined. A function value is not JSON data and may be
 * inherited, so the reader then returns `fallback(record)`, which applies the own-property
 * rules. Returns `fallback` itself when a spelling is `__proto__`, whose plain read returns
 * the prototype, and when the process forbids code generation from strings (Node's
 * `--disallow-code-generation-from-strings`), so reads are slower there but not wrong.
 */
export function compileKeyReader(spellings: readonly string[], fallback: KeyReader): KeyReader {
  if (spellings.includes('__proto__')) return fallback;
  const reads = spellings.map(
    (name, index) =>
      `${index === 0 ? 'let value =' : 'if (value === undefined) value ='} record[${JSON.stringify(name)}];`,
  );
  const source = [
    'return function readKey(record) {',
    ...reads,
    "return typeof value === 'function' ? fallback(record) : value;",
    '};',
  ].join('\n');
  let factory: (fallback: KeyReader) => KeyReader;
  try {
    factory = new Function('fallback', source) as typeof factory;
  } catch (error) {
    if (error instanceof EvalError) return fallback;
    throw error;
  }
  return factory(fallback);
}
