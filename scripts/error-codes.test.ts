import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NORMALIZATION_REASONS, normalizationErrorCode } from '@ciem/events';
import { afterAll, describe, expect, it } from 'vitest';
import { collectSourceCodes } from './error-codes.js';
import type { CodeSite } from './error-codes.js';

/** One row of a table in docs/errors.md. */
interface DocumentedCode {
  code: string;
  /** The `libs/...` or `services/...` folder named in the heading of the row's section. */
  library: string | undefined;
  className: string;
  retriable: string;
  meaning: string;
  line: number;
}

/**
 * Reads the tables of docs/errors.md: a row is `| \`CIEM_…\` | class | retriable | meaning |`,
 * and its library is the first `libs/…` or `services/…` path in backticks in the `##`
 * heading above it.
 */
function readDocumentedCodes(markdown: string): DocumentedCode[] {
  const rows: DocumentedCode[] = [];
  let library: string | undefined;
  markdown.split('\n').forEach((text, index) => {
    if (text.startsWith('## ')) {
      library = /`((?:libs|services)\/[a-z0-9-]+)`/.exec(text)?.[1];
      return;
    }
    const row = /^\|\s*`(CIEM_[A-Z0-9_]+)`\s*\|([^|]*)\|([^|]*)\|(.*)\|\s*$/.exec(text);
    if (row === null) return;
    rows.push({
      code: row[1] as string,
      library,
      className: (row[2] as string).trim(),
      retriable: (row[3] as string).trim(),
      meaning: (row[4] as string).trim(),
      line: index + 1,
    });
  });
  return rows;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docsFile = 'docs/errors.md';
const docs = readDocumentedCodes(readFileSync(path.join(repoRoot, docsFile), 'utf8'));
const source = collectSourceCodes(repoRoot);

// The normalizer builds its dead-letter codes at run time from a fixed list of reasons, so
// they are taken from the list itself and raised as InputError by every caller.
const normalizationFile = 'libs/events/src/internal/normalization-error.ts';
for (const reason of NORMALIZATION_REASONS) {
  const code = normalizationErrorCode(reason);
  source.sites.push({
    code,
    file: normalizationFile,
    line: 0,
    library: 'libs/events',
    kind: 'definition',
  });
  source.classes.set(code, new Set(['InputError']));
}

const sitesByCode = new Map<string, CodeSite[]>();
for (const site of source.sites) {
  const sites = sitesByCode.get(site.code) ?? [];
  sites.push(site);
  sitesByCode.set(site.code, sites);
}

function where(site: CodeSite): string {
  return site.line > 0 ? `${site.file}:${site.line}` : site.file;
}

/** Returns the sites that define a code, or its uses when no file defines it. */
function definingSites(code: string): CodeSite[] {
  const sites = sitesByCode.get(code) ?? [];
  const definitions = sites.filter((site) => site.kind === 'definition');
  return definitions.length > 0 ? definitions : sites;
}

describe('error code collector', () => {
  it('finds codes in the source', () => {
    expect(source.fileCount).toBeGreaterThan(100);
    expect(sitesByCode.size).toBeGreaterThanOrEqual(50);
    expect(sitesByCode.has('CIEM_KAFKA_SEND_FAILED')).toBe(true);
    expect(sitesByCode.has('CIEM_NORMALIZE_INVALID_JSON')).toBe(true);
  });

  it('reads the documented codes', () => {
    expect(docs.length).toBeGreaterThanOrEqual(50);
  });

  it('classifies every CIEM_ literal', () => {
    const unclassified = source.unclassified.map(
      (literal) =>
        `${literal.file}:${literal.line}: ${literal.text} is neither an error code nor a ` +
        "declared environment variable. Define a code in the library's errors.ts, or " +
        "declare the variable with `env: '...'` in the service's config schema.",
    );
    expect(unclassified, unclassified.join('\n')).toEqual([]);
  });
});

describe('docs/errors.md', () => {
  it('documents every code in the source', () => {
    const documented = new Set(docs.map((row) => row.code));
    const missing = [...sitesByCode.keys()]
      .filter((code) => !documented.has(code))
      .sort()
      .map((code) => {
        const sites = definingSites(code);
        return (
          `${code} (${sites.map(where).join(', ')}) is not documented: add a row to ` +
          `${docsFile} in the section of ${sites[0]?.library ?? 'its library'}.`
        );
      });
    expect(missing, missing.join('\n')).toEqual([]);
  });

  it('documents only codes still defined', () => {
    const stale = docs
      .filter((row) => !sitesByCode.has(row.code))
      .map(
        (row) =>
          `${docsFile}:${row.line}: ${row.code} is defined nowhere in libs or services: ` +
          'remove the row, or restore the code if it was removed by mistake.',
      );
    expect(stale, stale.join('\n')).toEqual([]);
  });

  it('lists each code once', () => {
    const seen = new Map<string, number>();
    const repeated: string[] = [];
    for (const row of docs) {
      const first = seen.get(row.code);
      if (first === undefined) seen.set(row.code, row.line);
      else
        repeated.push(`${docsFile}:${row.line}: ${row.code} is already listed on line ${first}.`);
    }
    expect(repeated, repeated.join('\n')).toEqual([]);
  });

  it('files each code under its library', () => {
    const misplaced = docs.flatMap((row) => {
      const libraries = new Set(definingSites(row.code).map((site) => site.library));
      if (libraries.size === 0 || (row.library !== undefined && libraries.has(row.library))) {
        return [];
      }
      return [
        `${docsFile}:${row.line}: ${row.code} is defined in ${[...libraries].join(', ')} but ` +
          `listed under ${row.library ?? 'no library heading'}: move the row to that section.`,
      ];
    });
    expect(misplaced, misplaced.join('\n')).toEqual([]);
  });

  it('names the classes the source raises', () => {
    const wrong = docs.flatMap((row) => {
      const raised = [...(source.classes.get(row.code) ?? [])].sort();
      const absent = raised.filter((name) => !new RegExp(`\\b${name}\\b`).test(row.className));
      if (absent.length === 0) return [];
      return [
        `${docsFile}:${row.line}: ${row.code} is raised as ${raised.join(' and ')} but the ` +
          `class column says "${row.className}": name every class.`,
      ];
    });
    expect(wrong, wrong.join('\n')).toEqual([]);
  });

  it('marks dependency errors retriable', () => {
    const wrong = docs.flatMap((row) => {
      const dependency = /\bDependencyError\b/.test(row.className);
      const other = /\b(CiemError|ConfigError|InputError|RejectedError)\b/.test(row.className);
      if (dependency && !other && !row.retriable.startsWith('yes')) {
        return [
          `${docsFile}:${row.line}: ${row.code} is only a DependencyError, so its retriable column must start with yes.`,
        ];
      }
      if (!dependency && !row.retriable.startsWith('no')) {
        return [
          `${docsFile}:${row.line}: ${row.code} is not a DependencyError, so its retriable column must start with no.`,
        ];
      }
      return [];
    });
    expect(wrong, wrong.join('\n')).toEqual([]);
  });
});

describe('error code definitions', () => {
  it('defines each code once', () => {
    const repeated = [...sitesByCode]
      .map(([code, sites]) => {
        const files = [
          ...new Set(sites.filter((site) => site.kind === 'definition').map((site) => site.file)),
        ];
        return { code, files };
      })
      .filter(({ files }) => files.length > 1)
      .map(
        ({ code, files }) =>
          `${code} is defined in ${files.join(' and ')}: a code names one problem, so give ` +
          "the new one its own code, or import the existing constant from its library's errors.ts.",
      );
    expect(repeated, repeated.join('\n')).toEqual([]);
  });

  it('defines every code it uses', () => {
    const undefinedUses = [...sitesByCode]
      .filter(([, sites]) => sites.every((site) => site.kind === 'use'))
      .map(
        ([code, sites]) =>
          `${code} is used in ${sites.map(where).join(', ')} but defined nowhere: add it to ` +
          'the errors.ts of the library that raises it, and a row to docs/errors.md.',
      );
    expect(undefinedUses, undefinedUses.join('\n')).toEqual([]);
  });
});

describe('collectSourceCodes', () => {
  const fixtureRoot = mkdtempSync(path.join(tmpdir(), 'error-codes-'));
  afterAll(() => rmSync(fixtureRoot, { recursive: true, force: true }));

  const files: Record<string, string> = {
    'libs/alpha/src/internal/errors.ts': [
      "import { InputError } from '@ciem/errors';",
      "export const AlphaErrorCodes = { bad: 'CIEM_ALPHA_BAD' } as const;",
      'export function alphaError(code: string): InputError {',
      "  return new InputError(code, 'message');",
      '}',
    ].join('\n'),
    'libs/alpha/src/internal/thing.ts': [
      "import { ConfigError, DependencyError, RejectedError } from '@ciem/errors';",
      "import { AlphaErrorCodes, alphaError } from './errors.js';",
      '// CIEM_ALPHA_IN_COMMENT is only text.',
      '/** Throws `CIEM_ALPHA_IN_DOC`. */',
      "const HANDED_BACK = 'CIEM_ALPHA_HANDED_BACK';",
      'export class SubError extends ConfigError {',
      "  constructor() { super('CIEM_ALPHA_SUB', 'message'); }",
      '}',
      'export function run(): unknown[] {',
      '  return [',
      "    new DependencyError('CIEM_ALPHA_DOWN', 'message'),",
      "    new RejectedError(HANDED_BACK, 'message'),",
      "    new ConfigError(AlphaErrorCodes.bad, 'message'),",
      "    alphaError('CIEM_ALPHA_VIA_HELPER'),",
      "    { env: 'CIEM_ALPHA_URL' },",
      "    'CIEM_ALPHA',",
      "    process.env['CIEM_ALPHA_TOKEN'],",
      "    { code: 'CIEM_ALPHA_BAD' },",
      "    { code: 'CIEM_ALPHA_NOWHERE' },",
      "    'CIEM_ALPHA_STRAY',",
      '  ];',
      '}',
    ].join('\n'),
    'libs/alpha/src/internal/thing.test.ts':
      "import { InputError } from '@ciem/errors';\nnew InputError('CIEM_ALPHA_IN_TEST', 'message');\n",
    'libs/beta/src/index.ts':
      "import { InputError } from '@ciem/errors';\nexport const again = new InputError('CIEM_ALPHA_DOWN', 'message');\n",
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(fixtureRoot, file)), { recursive: true });
    writeFileSync(path.join(fixtureRoot, file), text);
  }
  mkdirSync(path.join(fixtureRoot, 'services'));

  const collected = collectSourceCodes(fixtureRoot);
  const kindsOf = (code: string): string[] =>
    collected.sites
      .filter((site) => site.code === code)
      .map((site) => `${site.library} ${site.kind}`)
      .sort();

  it('finds each form of definition', () => {
    expect(kindsOf('CIEM_ALPHA_BAD')).toEqual(['libs/alpha definition', 'libs/alpha use']);
    expect(kindsOf('CIEM_ALPHA_HANDED_BACK')).toEqual(['libs/alpha definition']);
    expect(kindsOf('CIEM_ALPHA_SUB')).toEqual(['libs/alpha definition']);
    expect(kindsOf('CIEM_ALPHA_VIA_HELPER')).toEqual(['libs/alpha definition']);
    expect(kindsOf('CIEM_ALPHA_DOWN')).toEqual(['libs/alpha definition', 'libs/beta definition']);
  });

  it('records a code property as use', () => {
    expect(kindsOf('CIEM_ALPHA_NOWHERE')).toEqual(['libs/alpha use']);
  });

  it('resolves the classes raised', () => {
    expect([...(collected.classes.get('CIEM_ALPHA_BAD') ?? [])]).toEqual(['ConfigError']);
    expect([...(collected.classes.get('CIEM_ALPHA_HANDED_BACK') ?? [])]).toEqual(['RejectedError']);
    expect([...(collected.classes.get('CIEM_ALPHA_SUB') ?? [])]).toEqual(['ConfigError']);
    expect([...(collected.classes.get('CIEM_ALPHA_DOWN') ?? [])].sort()).toEqual([
      'DependencyError',
      'InputError',
    ]);
  });

  it('skips comments, tests and variables', () => {
    const seen = new Set(collected.sites.map((site) => site.code));
    for (const code of [
      'CIEM_ALPHA_IN_COMMENT',
      'CIEM_ALPHA_IN_DOC',
      'CIEM_ALPHA_IN_TEST',
      'CIEM_ALPHA_URL',
      'CIEM_ALPHA',
      'CIEM_ALPHA_TOKEN',
    ]) {
      expect(seen.has(code), code).toBe(false);
    }
  });

  it('reports a stray literal', () => {
    expect(collected.unclassified.map((literal) => literal.text)).toEqual(['CIEM_ALPHA_STRAY']);
  });
});

describe('readDocumentedCodes', () => {
  it('reads rows under library headings', () => {
    const rows = readDocumentedCodes(
      [
        '# Error codes',
        'Prose mentions `CIEM_KAFKA_BROKERS` and is not a row.',
        '## Kafka (`libs/kafka`, `@ciem/kafka`)',
        '| code | class | retriable | meaning and what to do |',
        '|---|---|---|---|',
        '| `CIEM_KAFKA_SEND_FAILED` | DependencyError | yes | Sending failed; it is retried. |',
        '## Command line (`services/cli`)',
        '| `CIEM_RUN_INVALID_OPTIONS` | ConfigError | no | Give both options. |',
      ].join('\n'),
    );
    expect(rows).toEqual([
      {
        code: 'CIEM_KAFKA_SEND_FAILED',
        library: 'libs/kafka',
        className: 'DependencyError',
        retriable: 'yes',
        meaning: 'Sending failed; it is retried.',
        line: 6,
      },
      {
        code: 'CIEM_RUN_INVALID_OPTIONS',
        library: 'services/cli',
        className: 'ConfigError',
        retriable: 'no',
        meaning: 'Give both options.',
        line: 8,
      },
    ]);
  });
});
