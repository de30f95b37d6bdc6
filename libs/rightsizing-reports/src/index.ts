/**
 * Right-sizing reports: renders `RightsizingResult`s of `@ciem/rightsizing` as HTML (one
 * self-contained page with inline CSS and an SVG chart), Markdown, CSV and JSON, per account
 * and per team. Pure code: no I/O, no clock (the generation time is an option).
 */
export {
  HIGH_RISKS,
  NO_TEAM,
  buildReportModel,
  groupResults,
  highRiskRemovalsOf,
  removedPermissionsOf,
  reportBaseName,
  teamOf,
} from './internal/report-model.js';
export type {
  HighRiskRemoval,
  ReportHeadline,
  ReportModel,
  ReportOptions,
  ReportScope,
  UnobservableEntry,
} from './internal/report-model.js';
export {
  DEFAULT_PERMISSIONS_PER_SERVICE,
  DEFAULT_SERVICES_LISTED,
  groupByService,
} from './internal/service-groups.js';
export type {
  GroupedPermissions,
  GroupingLimits,
  ServiceGroup,
  ServicePermission,
} from './internal/service-groups.js';
export { CSV_COLUMNS, quoteCsvField, renderCsv } from './internal/csv.js';
export { escapeHtml, renderHtml } from './internal/html.js';
export { escapeMarkdown, renderMarkdown } from './internal/markdown.js';
export { JSON_REPORT_VERSION, renderJson } from './internal/json.js';
export { renderScoreChart } from './internal/svg-chart.js';
export {
  REPORT_FORMATS,
  renderReport,
  renderReports,
  reportFileName,
} from './internal/render-reports.js';
export type { RenderedReport, ReportFormat } from './internal/render-reports.js';
