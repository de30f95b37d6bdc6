import type { RightsizingResult } from '@ciem/rightsizing';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { ReportHeadline, ReportOptions, ReportScope } from './report-model.js';
import { buildReportModel, groupResults, reportBaseName } from './report-model.js';

/** Formats a report is rendered in, with their file extensions. */
export const REPORT_FORMATS = Object.freeze({
  html: 'html',
  markdown: 'md',
  csv: 'csv',
  json: 'json',
} as const);

/** A report format. */
export type ReportFormat = keyof typeof REPORT_FORMATS;

/** One scope's report in every format. */
export interface RenderedReport {
  scope: ReportScope;
  /** File name stem, stable across runs (`account-123456789012`, `team-payments`). */
  baseName: string;
  headline: ReportHeadline;
  html: string;
  markdown: string;
  csv: string;
  json: string;
}

/** Returns `<baseName>.<extension>` of a report's format. */
export function reportFileName(
  report: Pick<RenderedReport, 'baseName'>,
  format: ReportFormat,
): string {
  return `${report.baseName}.${REPORT_FORMATS[format]}`;
}

/** Renders the report of one scope in every format. */
export function renderReport(
  scope: ReportScope,
  results: readonly RightsizingResult[],
  options: ReportOptions,
): RenderedReport {
  const model = buildReportModel(scope, results, options);
  return {
    scope,
    baseName: reportBaseName(scope),
    headline: model.headline,
    html: renderHtml(model),
    markdown: renderMarkdown(model),
    csv: renderCsv(model.principals),
    json: renderJson(model),
  };
}

/**
 * Renders one report per account and one per team (principals without a team form the
 * team `(none)`), accounts first, each kind sorted by key.
 */
export function renderReports(
  results: readonly RightsizingResult[],
  options: ReportOptions,
): RenderedReport[] {
  return [...groupResults(results, 'account'), ...groupResults(results, 'team')].map((group) =>
    renderReport(group.scope, group.results, options),
  );
}
