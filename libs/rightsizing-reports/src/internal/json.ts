import type { ReportModel } from './report-model.js';

/** Version of the JSON report's layout; raised when a field changes meaning or goes away. */
export const JSON_REPORT_VERSION = 1;

/**
 * Renders a report model as indented JSON: `report_version`, `scope`, `generated_at`,
 * `window`, `headline`, `score_histogram`, `top_principals` (principal ids),
 * `high_risk_removals`, `unobservable`, and `principals` (every `RightsizingResult`).
 */
export function renderJson(model: ReportModel): string {
  return `${JSON.stringify(
    {
      report_version: JSON_REPORT_VERSION,
      scope: model.scope,
      generated_at: model.generated_at,
      window: model.window,
      headline: model.headline,
      score_histogram: model.score_histogram,
      top_principals: model.top_principals.map((result) => result.principal_id),
      high_risk_removals: model.high_risk_removals,
      unobservable: model.unobservable,
      principals: model.principals,
    },
    null,
    2,
  )}\n`;
}
