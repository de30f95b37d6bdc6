import { describeWindow } from '@ciem/rightsizing';
import type { RightsizingResult } from '@ciem/rightsizing';
import type { ReportModel } from './report-model.js';
import { DOCUMENT_KINDS, removedPermissionsOf, teamOf } from './report-model.js';
import type { GroupingLimits, ServicePermission } from './service-groups.js';
import { groupByService } from './service-groups.js';
import { renderScoreChart } from './svg-chart.js';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2430;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d8dde6;padding-bottom:4px}
.meta{color:#5b6677;font-size:13px}
.headline{display:grid;grid-template-columns:repeat(5,1fr);gap:10px;margin:16px 0}
.card{border:1px solid #d8dde6;border-radius:6px;padding:10px}.card dt{font-size:12px;color:#5b6677}.card dd{margin:2px 0 0;font-size:22px;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #d8dde6;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f2f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
pre{background:#f6f8fa;border:1px solid #d8dde6;padding:8px;overflow:auto;max-height:320px}
.risk-escalation,.risk-permissions-management{color:#b3261e;font-weight:600}.risk-write{color:#8a4b00}
details{margin:6px 0}summary{cursor:pointer}
ul.by-service{margin:2px 0;padding-left:18px}
`;

/** Note above the grouped lists that says where the full lists are. */
const GROUPED_NOTE =
  '<p class="meta">Long permission lists are grouped by service with counts; the CSV and JSON reports list every permission.</p>';

/**
 * Renders permissions grouped by service: each service with its count and its first few
 * permissions, then the services beyond the limit as one count. `order` is that of
 * `groupByService`. `label` adds text after a permission's name, such as its risk.
 */
function groupedList(
  entries: readonly ServicePermission[],
  limits: GroupingLimits,
  order: 'count' | 'first',
  label: (permission: string) => { text: string; className: string } | undefined = () => undefined,
): string {
  const grouped = groupByService(entries, limits, order);
  const items = grouped.groups.map((group) => {
    const names = group.shown.map((name) => {
      const extra = label(name);
      return extra === undefined
        ? `<code>${escapeHtml(name)}</code>`
        : `<code class="${escapeHtml(extra.className)}">${escapeHtml(name)}</code> (${escapeHtml(extra.text)})`;
    });
    const more = group.more > 0 ? `, … and ${group.more} more` : '';
    return `<li><strong>${escapeHtml(group.service)}</strong> (${group.count}): ${names.join(', ')}${more}</li>`;
  });
  if (grouped.more_services > 0) {
    items.push(
      `<li>… and ${grouped.more_services} more services with ${grouped.more_services_permissions} permissions</li>`,
    );
  }
  return `<ul class="by-service">${items.join('')}</ul>`;
}

function headlineCard(field: string, label: string, value: number): string {
  return `<div class="card"><dt>${escapeHtml(label)}</dt><dd data-field="${field}">${value}</dd></div>`;
}

function topPrincipalsTable(results: readonly RightsizingResult[]): string {
  const rows = results.map(
    (result) =>
      `<tr><td><code>${escapeHtml(result.principal_id)}</code></td><td>${escapeHtml(result.principal_name)}</td><td>${escapeHtml(result.principal_type)}</td>` +
      `<td>${escapeHtml(result.account_id)}</td><td>${escapeHtml(teamOf(result))}</td><td>${escapeHtml(result.status)}</td>` +
      `<td class="num">${result.score}</td><td class="num">${result.recommendation.removes.length}</td>` +
      `<td class="num">${result.confidence.value.toFixed(2)}</td><td>${escapeHtml(result.recommendation.kind)}</td></tr>`,
  );
  return (
    '<table id="top-principals"><thead><tr><th>principal</th><th>name</th><th>type</th><th>account</th><th>team</th><th>status</th>' +
    '<th>score</th><th>removable</th><th>confidence</th><th>recommendation</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function removalsTable(model: ReportModel): string {
  if (model.high_risk_removals.length === 0) return '<p>No high-risk permission to remove.</p>';
  const rows = model.high_risk_removals.map((removal) => {
    const risks = new Map(removal.permissions.map((entry) => [entry.permission, entry.risk]));
    const label = (permission: string): { text: string; className: string } | undefined => {
      const risk = risks.get(permission);
      return risk === undefined ? undefined : { text: risk, className: `risk-${risk}` };
    };
    return (
      `<tr><td><code>${escapeHtml(removal.principal_id)}</code></td><td class="num">${removal.permissions.length}</td>` +
      `<td>${groupedList(removal.permissions, model.grouping, 'first', label)}</td></tr>`
    );
  });
  return (
    '<table id="high-risk-removals"><thead><tr><th>principal</th><th>high-risk removals</th><th>permissions</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function unobservableTable(model: ReportModel): string {
  if (model.unobservable.length === 0) return '<p>Every granted permission is observable.</p>';
  const rows = model.unobservable.flatMap((entry) =>
    [...new Set(entry.permissions.map((permission) => permission.reason))].sort().map((reason) => {
      const permissions = entry.permissions.filter((permission) => permission.reason === reason);
      return (
        `<tr><td><code>${escapeHtml(entry.principal_id)}</code></td><td>${escapeHtml(reason)}</td>` +
        `<td class="num">${permissions.length}</td><td>${groupedList(permissions, model.grouping, 'count')}</td></tr>`
      );
    }),
  );
  return (
    '<table id="unobservable"><thead><tr><th>principal</th><th>why their use cannot be seen</th><th>permissions</th><th>by service</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function recommendationSection(result: RightsizingResult, limits: GroupingLimits): string {
  const recommendation = result.recommendation;
  const parts = [
    `<details${recommendation.kind === 'none' ? '' : ' open'}><summary><code>${escapeHtml(result.principal_id)}</code>: ${escapeHtml(recommendation.kind)}, ` +
      `removes ${recommendation.removes.length}, score ${result.score}</summary>`,
  ];
  if (DOCUMENT_KINDS.has(recommendation.kind) && recommendation.document !== null) {
    const documents = [recommendation.document, ...(recommendation.additional_documents ?? [])];
    for (const document of documents) {
      parts.push(`<pre>${escapeHtml(JSON.stringify(document, null, 2))}</pre>`);
    }
  }
  if (recommendation.removes.length > 0) {
    parts.push(
      `<p>Removes ${recommendation.removes.length}:</p>${groupedList(removedPermissionsOf(result), limits, 'first')}`,
    );
  }
  for (const note of recommendation.notes ?? []) parts.push(`<p>${escapeHtml(note)}</p>`);
  parts.push('</details>');
  return parts.join('');
}

/**
 * Renders a report model as one self-contained HTML page: inline CSS, an inline SVG chart,
 * no scripts and no external resources. Every value from the results is escaped. Headline
 * numbers carry `data-field` attributes named like `ReportHeadline`'s fields.
 *
 * NOTE: the page lists the recommendation of every principal in the scope, so an account
 * with thousands of principals gives a page of several megabytes.
 */
export function renderHtml(model: ReportModel): string {
  const title = `Right-sizing report: ${model.scope.kind} ${model.scope.key}`;
  const headline = model.headline;
  const window = model.window === null ? 'Window: no results.' : describeWindow(model.window);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // The policy forbids any fetch, so a value that escaping missed still loads nothing.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta" id="window">${escapeHtml(window)} Generated ${escapeHtml(isoTime(model.generated_at))}.</p>`,
    '<dl class="headline">',
    headlineCard('principals', 'principals', headline.principals),
    headlineCard('active', 'active', headline.active),
    headlineCard('inactive', 'inactive', headline.inactive),
    headlineCard('never_used', 'never used', headline.never_used),
    headlineCard('with_removals', 'with removals', headline.with_removals),
    headlineCard('removable_permissions', 'removable permissions', headline.removable_permissions),
    headlineCard('high_risk_removable', 'high-risk removable', headline.high_risk_removable),
    headlineCard('unobservable_permissions', 'unobservable', headline.unobservable_permissions),
    headlineCard('mean_score', 'mean score', headline.mean_score),
    headlineCard('max_score', 'max score', headline.max_score),
    '</dl>',
    '<h2>Scores</h2>',
    renderScoreChart(model),
    '<h2>Top principals by score</h2>',
    topPrincipalsTable(model.top_principals),
    '<h2>Biggest high-risk removals</h2>',
    GROUPED_NOTE,
    removalsTable(model),
    '<h2>Unobservable permissions</h2>',
    '<p>The logs cannot show whether these permissions are used, so no recommendation removes them.</p>',
    unobservableTable(model),
    '<h2>Recommendations</h2>',
    ...model.principals.map((result) => recommendationSection(result, model.grouping)),
    '</body></html>',
    '',
  ].join('\n');
}
