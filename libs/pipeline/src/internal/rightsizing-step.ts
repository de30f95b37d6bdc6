import { evaluateExportDocuments } from '@ciem/entitlements';
import type { CompactPrincipalEntitlements } from '@ciem/entitlements';
import { readExportFiles } from '@ciem/entitlements-store';
import {
  analyzeRightsizing,
  azureOperationsFromExports,
  describeWindow,
  candidateRolesOf,
  gcpCustomRoleSupportOf,
  summarizeRightsizing,
  topByScore,
} from '@ciem/rightsizing';
import type { RightsizingResult, RightsizingSummary } from '@ciem/rightsizing';
import { REPORT_FORMATS, renderReports, reportFileName } from '@ciem/rightsizing-reports';
import type { ReportFormat } from '@ciem/rightsizing-reports';
import type { UsageStore } from '@ciem/usage';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LineWriter } from './ndjson-writer.js';

/** Options of {@link runRightsizingStep}. */
export interface RightsizingStepOptions {
  /** IAM export files or folders (AWS authorization details, Azure RBAC, GCP IAM). */
  grants: readonly string[];
  outputDir: string;
  usage: UsageStore;
  /** Time the step runs, for the snapshot and the reports; epoch milliseconds. */
  now: number;
  /**
   * End of the analysis window. The default is just after the last event of the usage data,
   * so old log files are judged against their own time and not the clock. Without data it
   * is `now`.
   */
  windowEnd?: number;
  /** Window length in days; default 90. */
  windowDays?: number;
  /**
   * Account (subscription, project) id to owning team, used when a principal has no `team`
   * or `owner` tag.
   */
  accountTeams?: Readonly<Record<string, string>>;
}

/** One line of the printed top list. */
export interface RightsizingTopEntry {
  principal_id: string;
  account_id: string;
  score: number;
  /** Confidence in the result, 0 to 1: low when the logs cover little of the window. */
  confidence: number;
  status: RightsizingResult['status'];
  recommendation: RightsizingResult['recommendation']['kind'];
  /** The highest-risk removals first, at most 5. */
  biggest_removals: string[];
  removes: number;
}

/** Outputs of the right-sizing step, part of the run summary. */
export interface RightsizingStepSummary {
  principals: number;
  /** Export records that could not be evaluated; details in `recommendations.json`. */
  export_problems: number;
  window: RightsizingSummary['window'];
  top: RightsizingTopEntry[];
  outputs: Record<string, string>;
}

const TOP_PRINCIPALS = 10;

function lastEventTime(usage: UsageStore): number | undefined {
  let last: number | undefined;
  for (const activity of usage.principalActivity()) {
    if (last === undefined || activity.last_seen > last) last = activity.last_seen;
  }
  return last;
}

function topEntry(result: RightsizingResult): RightsizingTopEntry {
  const removes = new Set(result.recommendation.removes);
  return {
    principal_id: result.principal_id,
    account_id: result.account_id,
    score: result.score,
    confidence: result.confidence.value,
    status: result.status,
    recommendation: result.recommendation.kind,
    // `unused` is sorted by risk, so its removable entries come highest risk first.
    biggest_removals: result.unused
      .filter((entry) => removes.has(entry.permission))
      .slice(0, 5)
      .map((entry) => entry.permission),
    removes: removes.size,
  };
}

/**
 * Runs right-sizing after the embedded run: evaluates the IAM exports, compares them with
 * the usage the run kept, and writes `recommendations.ndjson` (one `RightsizingResult` per
 * principal), `recommendations.json` (per account and team, top principals, export
 * problems) and the reports (`reports/<account|team>.{html,md,csv,json}`).
 *
 * @throws InputError `CIEM_ENTITLEMENTS_STORE_INPUT_NOT_FOUND` when a grants path is missing.
 */
export async function runRightsizingStep(
  options: RightsizingStepOptions,
): Promise<RightsizingStepSummary> {
  const exports = await readExportFiles(options.grants);
  const evaluation = evaluateExportDocuments(exports.documents, { takenAt: options.now });
  const principals: CompactPrincipalEntitlements[] = evaluation.snapshots.flatMap((snapshot) => [
    ...snapshot.principals,
  ]);
  const problems = [...exports.problems, ...evaluation.problems];

  const accountTeams = options.accountTeams;
  const azureOperations = azureOperationsFromExports(exports.documents);
  const gcpCustomRoleSupport = gcpCustomRoleSupportOf(evaluation.catalog);
  // One millisecond after the last event, because the window end is exclusive.
  const lastEvent = lastEventTime(options.usage);
  const windowEnd = options.windowEnd ?? (lastEvent === undefined ? options.now : lastEvent + 1);
  const results = analyzeRightsizing(
    {
      principals,
      usage: options.usage.permissionUsage(),
      activity: options.usage.principalActivity(),
    },
    {
      windowEnd,
      ...(options.windowDays === undefined ? {} : { windowDays: options.windowDays }),
      ...(accountTeams === undefined ? {} : { ownership: { accountTeams } }),
      candidateRoles: candidateRolesOf(evaluation.catalog),
      ...(azureOperations === undefined ? {} : { azureOperations }),
      ...(gcpCustomRoleSupport === undefined ? {} : { gcpCustomRoleSupport }),
    },
  );

  const outputs = {
    recommendations: path.join(options.outputDir, 'recommendations.ndjson'),
    recommendations_summary: path.join(options.outputDir, 'recommendations.json'),
    reports: path.join(options.outputDir, 'reports'),
  };
  const writer = new LineWriter(outputs.recommendations);
  for (const result of results) await writer.writeLine(JSON.stringify(result));
  await writer.close();

  const summary = summarizeRightsizing(results);
  const top = topByScore(results, TOP_PRINCIPALS).map(topEntry);
  await writeFile(
    outputs.recommendations_summary,
    `${JSON.stringify({ ...summary, top, export_problems: problems }, null, 2)}\n`,
  );

  await mkdir(outputs.reports, { recursive: true });
  for (const report of renderReports(results, { generatedAt: options.now })) {
    for (const format of Object.keys(REPORT_FORMATS) as ReportFormat[]) {
      await writeFile(path.join(outputs.reports, reportFileName(report, format)), report[format]);
    }
  }

  return {
    principals: results.length,
    export_problems: problems.length,
    window: summary.window,
    top,
    outputs,
  };
}

/** Renders the top principals for the terminal: score, status and biggest removals. */
export function formatRightsizingTop(summary: RightsizingStepSummary): string {
  const lines = [
    `Right-sizing: ${summary.principals} principals. ${describeWindow(summary.window)}`,
    `Top ${summary.top.length} by score (score, status, confidence, principal, change):`,
  ];
  for (const entry of summary.top) {
    const removals =
      entry.recommendation === 'remove-principal'
        ? 'remove the principal'
        : entry.removes === 0
          ? 'nothing to remove'
          : `remove ${entry.removes}: ${entry.biggest_removals.join(', ')}${entry.removes > entry.biggest_removals.length ? ', …' : ''}`;
    lines.push(
      `  ${entry.score.toFixed(1).padStart(5)}  ${entry.status.padEnd(10)}  ${entry.confidence.toFixed(2)}  ${entry.principal_id}  ${removals}`,
    );
  }
  if (summary.export_problems > 0) {
    lines.push(
      `${summary.export_problems} export records could not be evaluated; see ${summary.outputs.recommendations_summary ?? 'recommendations.json'}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
