import type {
  AnyPrincipalEntitlements,
  DiffInput,
  ExportProblem,
  ExportsEvaluation,
  SnapshotDiff,
} from '@ciem/entitlements';
import {
  diffSnapshots,
  effectivePermissionNames,
  evaluateExportDocuments,
  isSnapshotValue,
  parseSnapshotJson,
  streamSnapshotJson,
} from '@ciem/entitlements';
import { readExportFiles } from '@ciem/entitlements-store';
import { ConfigError } from '@ciem/errors';
import type { Command } from 'commander';
import { once } from 'node:events';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { classifyFiles } from '@ciem/entitlements-store';
import { listForMessage } from '../list-for-message.js';

interface EntitlementsOptions {
  json?: boolean;
  diff?: boolean;
  azureCatalogFromRoles?: boolean;
}

/**
 * Registers `ciem entitlements`: evaluate IAM exports and print a summary per principal, the
 * snapshots as JSON, or the difference between two sets of exports or snapshots.
 */
export function registerEntitlementsCommand(program: Command): void {
  program
    .command('entitlements')
    .description(
      'Evaluate AWS, Azure and GCP IAM exports and print, per principal, its type, how many permissions it holds, whether it is admin-equivalent, and its risk findings. Problems with the exports are printed on stderr. Activity logs and the files of ciem simulate among the inputs are skipped with one line each on stderr.',
    )
    .argument(
      '<paths...>',
      'export files or folders (read recursively); with --diff, exactly two: the old and the new, each exports or a snapshot written by --json',
    )
    .option('--json', 'print the snapshots (or, with --diff, the difference) as JSON')
    .option('--diff', 'compare the first path (old) with the second (new)')
    .option(
      '--azure-catalog-from-roles',
      'expand Azure wildcards against the operations named by the exported role definitions when no provider operation list is exported',
    )
    .action(async (paths: string[], options: EntitlementsOptions) => {
      if (options.diff) {
        if (paths.length !== 2) {
          throw new ConfigError(
            'CIEM_CLI_INVALID_ARGUMENTS',
            `--diff expects exactly two paths (old, then new), received ${paths.length}`,
          );
        }
        const before = await loadSide(paths[0] as string, options);
        const after = await loadSide(paths[1] as string, options);
        const diff = diffSnapshots(before, after);
        if (options.json) await write(`${JSON.stringify(diff, null, 2)}\n`);
        else await write(formatDiff(diff));
        return;
      }

      const evaluation = await evaluatePaths(paths, options);
      reportProblems(evaluation.problems);
      if (options.json) {
        await write('[');
        let first = true;
        for (const snapshot of evaluation.snapshots) {
          await write(first ? '\n' : ',\n');
          first = false;
          for await (const piece of streamSnapshotJson(snapshot.header, snapshot.principals)) {
            await write(piece.replace(/\n$/, ''));
          }
        }
        await write('\n]\n');
        return;
      }
      await write(formatSummary(evaluation));
    });
}

async function evaluatePaths(
  paths: readonly string[],
  options: EntitlementsOptions,
): Promise<ExportsEvaluation> {
  const files = await readExportFiles(await exportCandidates(paths));
  const evaluation = evaluateExportDocuments(files.documents, {
    takenAt: Date.now(),
    azure: { catalogFromRoleDefinitions: options.azureCatalogFromRoles === true },
  });
  return { ...evaluation, problems: [...files.problems, ...evaluation.problems] };
}

const EXPORT_FILE = /\.(json|ndjson|jsonl)(\.gz)?$/i;

/**
 * Lists the files the paths name (folders read recursively for `.json`, `.ndjson`, `.jsonl`
 * and their `.gz` forms, as `readExportFiles` does) and leaves out activity logs and the
 * files of `ciem simulate`, with one line on stderr for each kind. A missing path is passed
 * on, so `readExportFiles` reports it.
 */
async function exportCandidates(paths: readonly string[]): Promise<string[]> {
  const listed = new Set<string>();
  const missing: string[] = [];
  for (const input of paths) {
    const info = await stat(input).catch(() => undefined);
    if (info === undefined) missing.push(input);
    else if (info.isFile()) listed.add(path.resolve(input));
    else for (const file of await walk(path.resolve(input))) listed.add(file);
  }
  const files = await classifyFiles([...listed].sort());
  if (files.log.length > 0) {
    process.stderr.write(
      `ciem: skipped ${files.log.length} file(s) that are activity logs, not IAM exports: ${listForMessage(files.log)} (use ciem run for logs)\n`,
    );
  }
  if (files.simulator.length > 0) {
    process.stderr.write(
      `ciem: skipped ${files.simulator.length} file(s) of ciem simulate that are not IAM exports (ground truth, team map): ${listForMessage(files.simulator)}\n`,
    );
  }
  return [...files.grants, ...files.unknown, ...missing];
}

async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(full)));
    else if (entry.isFile() && EXPORT_FILE.test(entry.name)) found.push(full);
  }
  return found;
}

/** Reads one side of a diff: a snapshot file written by `--json`, or exports to evaluate. */
async function loadSide(input: string, options: EntitlementsOptions): Promise<DiffInput> {
  const info = await stat(input).catch(() => undefined);
  if (info?.isFile()) {
    const text = await readFile(input, 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const isSnapshot = Array.isArray(value)
      ? value.length > 0 && value.every(isSnapshotValue)
      : isSnapshotValue(value);
    if (isSnapshot) {
      const snapshots = parseSnapshotJson(text, input);
      return { principals: snapshots.flatMap((snapshot) => snapshot.principals) };
    }
  }
  const evaluation = await evaluatePaths([input], options);
  reportProblems(evaluation.problems);
  return { principals: evaluation.snapshots.flatMap((snapshot) => snapshot.principals) };
}

/**
 * Prints the problems on stderr. Problems of one code in one file print as the first one's
 * message and one line with the count and positions of the rest, so a file with hundreds of
 * odd records does not fill the screen.
 */
function reportProblems(problems: readonly ExportProblem[]): void {
  process.stderr.write(formatProblems(problems));
}

/** Formats export problems, one line each or, per code and file, the first and a count. */
export function formatProblems(problems: readonly ExportProblem[]): string {
  const groups = new Map<string, ExportProblem[]>();
  for (const problem of problems) {
    const key = `${problem.code}\u0000${problem.source}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [problem]);
    else group.push(problem);
  }
  const lines: string[] = [];
  for (const [first, ...rest] of groups.values()) {
    if (first === undefined) continue;
    lines.push(`ciem: ${first.code}: ${first.message}`);
    if (rest.length === 0) continue;
    const shown = rest.slice(0, 3).map((problem) => problem.record);
    const more = rest.length > shown.length ? ` … and ${rest.length - shown.length} more` : '';
    lines.push(
      `ciem: ${first.code}: and ${rest.length} more like it in ${first.source} (${shown.join(', ')}${more})`,
    );
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];

function findingsText(principal: AnyPrincipalEntitlements): string {
  if (principal.findings.length === 0) return '-';
  const counts = new Map<string, number>();
  for (const finding of principal.findings) {
    const key = `${finding.severity} ${finding.kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort(
      ([a], [b]) =>
        SEVERITY_ORDER.indexOf(a.split(' ')[0] as string) -
        SEVERITY_ORDER.indexOf(b.split(' ')[0] as string),
    )
    .map(([key, count]) => (count === 1 ? key : `${count}× ${key}`))
    .join(', ');
}

function permissionCount(principal: AnyPrincipalEntitlements): number {
  if ('grant_groups' in principal) return effectivePermissionNames(principal).length;
  return new Set(principal.grants.map((grant) => grant.permission)).size;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell.padEnd(widths?.[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
}

/** Formats one table per snapshot, then the counts and any providers' statistics. */
export function formatSummary(evaluation: ExportsEvaluation): string {
  const parts: string[] = [];
  for (const snapshot of evaluation.snapshots) {
    const { provider, account_id: accountId } = snapshot.header;
    const rows = [['PRINCIPAL', 'TYPE', 'PERMISSIONS', 'ADMIN', 'FINDINGS']];
    for (const principal of snapshot.principals) {
      const admin = principal.findings.some((finding) => finding.kind === 'admin-equivalent');
      rows.push([
        principal.principal_id,
        principal.principal_type,
        String(permissionCount(principal)),
        admin ? 'yes' : 'no',
        findingsText(principal),
      ]);
    }
    parts.push(
      `${provider} ${accountId}: ${snapshot.principals.length} principals\n${table(rows)}`,
    );
  }
  const principals = evaluation.snapshots.reduce((sum, s) => sum + s.principals.length, 0);
  const documents = Object.entries(evaluation.documents)
    .map(([provider, count]) => `${provider} ${count}`)
    .join(', ');
  parts.push(
    `${evaluation.snapshots.length} snapshots, ${principals} principals; documents read: ${documents}; problems: ${evaluation.problems.length}`,
  );
  return `${parts.join('\n\n')}\n`;
}

/** Formats a snapshot difference as one block per changed principal. */
export function formatDiff(diff: SnapshotDiff): string {
  const lines: string[] = [];
  for (const principal of diff.principals) {
    lines.push(
      `${principal.change} ${principal.provider} ${principal.principal_id} (${principal.principal_type})`,
    );
    for (const grant of principal.added_grants) {
      lines.push(
        `  + ${grant.permission} on ${grant.resource}${grant.conditional ? ' (conditional)' : ''}`,
      );
    }
    for (const grant of principal.removed_grants) {
      lines.push(
        `  - ${grant.permission} on ${grant.resource}${grant.conditional ? ' (conditional)' : ''}`,
      );
    }
    for (const finding of principal.added_findings) {
      lines.push(`  + finding ${finding.severity} ${finding.kind}: ${finding.summary}`);
    }
    for (const finding of principal.removed_findings) {
      lines.push(`  - finding ${finding.severity} ${finding.kind}: ${finding.summary}`);
    }
  }
  lines.push(
    `${diff.added_principals} principals added, ${diff.removed_principals} removed; ${diff.added_grants} grants added, ${diff.removed_grants} removed`,
  );
  return `${lines.join('\n')}\n`;
}

async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}
