import { describeWindow } from '@ciem/rightsizing';
import type { RightsizingResult } from '@ciem/rightsizing';
import type { ReportModel } from './report-model.js';
import { DOCUMENT_KINDS, removedPermissionsOf, teamOf } from './report-model.js';
import type { GroupingLimits, ServicePermission } from './service-groups.js';
import { groupByService } from './service-groups.js';

/**
 * Escapes text for a Markdown table cell or paragraph: backslash-escapes the characters
 * that start Markdown or HTML syntax and turns line breaks into spaces, so that a value
 * cannot end its cell, open a link or inject HTML.
 */
export function escapeMarkdown(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/([\\`*_{}[\]()#+\-.!|<>~&])/g, '\\$1');
}

/** Returns a code fence longer than any run of backquotes inside `text`. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Renders permissions grouped by service on one line, for a table cell or a paragraph:
 * `s3 (120): s3:GetObject, … and 115 more; ec2 (3): …; … and 380 more services with N
 * permissions`. `order` is that of `groupByService`; `label` adds text after a permission's
 * name, such as its risk.
 */
function groupedText(
  entries: readonly ServicePermission[],
  limits: GroupingLimits,
  order: 'count' | 'first',
  label: (permission: string) => string | undefined = () => undefined,
): string {
  const grouped = groupByService(entries, limits, order);
  const parts = grouped.groups.map((group) => {
    const names = group.shown.map((name) => {
      const extra = label(name);
      return extra === undefined ? escapeMarkdown(name) : `${escapeMarkdown(name)} (${extra})`;
    });
    const more = group.more > 0 ? `, … and ${group.more} more` : '';
    return `**${escapeMarkdown(group.service)}** (${group.count}): ${names.join(', ')}${more}`;
  });
  if (grouped.more_services > 0) {
    parts.push(
      `… and ${grouped.more_services} more services with ${grouped.more_services_permissions} permissions`,
    );
  }
  return parts.join('; ');
}

const GROUPED_NOTE =
  'Long permission lists are grouped by service with counts; the CSV and JSON reports list every permission.';

function recommendationBlock(result: RightsizingResult, limits: GroupingLimits): string[] {
  const recommendation = result.recommendation;
  const lines = [
    `### ${escapeMarkdown(result.principal_id)}`,
    '',
    `${escapeMarkdown(recommendation.kind)}; removes ${recommendation.removes.length}; score ${result.score}; confidence ${result.confidence.value.toFixed(2)}`,
    '',
  ];
  if (DOCUMENT_KINDS.has(recommendation.kind) && recommendation.document !== null) {
    for (const document of [
      recommendation.document,
      ...(recommendation.additional_documents ?? []),
    ]) {
      const text = JSON.stringify(document, null, 2);
      const fence = fenceFor(text);
      lines.push(`${fence}json`, text, fence, '');
    }
  }
  if (recommendation.removes.length > 0) {
    lines.push(
      `Removes ${recommendation.removes.length}: ${groupedText(removedPermissionsOf(result), limits, 'first')}`,
      '',
    );
  }
  for (const note of recommendation.notes ?? []) lines.push(escapeMarkdown(note), '');
  return lines;
}

/** Renders a report model as Markdown (GitHub-flavoured tables); every value is escaped. */
export function renderMarkdown(model: ReportModel): string {
  const headline = model.headline;
  const lines = [
    `# Right-sizing report: ${model.scope.kind} ${escapeMarkdown(model.scope.key)}`,
    '',
    `${model.window === null ? 'Window: no results.' : describeWindow(model.window)} Generated ${isoTime(model.generated_at)}.`,
    '',
    '| principals | active | inactive | never used | with removals | removable permissions | high-risk removable | unobservable | mean score | max score |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${headline.principals} | ${headline.active} | ${headline.inactive} | ${headline.never_used} | ${headline.with_removals} | ${headline.removable_permissions} | ${headline.high_risk_removable} | ${headline.unobservable_permissions} | ${headline.mean_score} | ${headline.max_score} |`,
    '',
    '## Top principals by score',
    '',
    '| principal | account | team | status | score | removable | recommendation |',
    '| --- | --- | --- | --- | ---: | ---: | --- |',
    ...model.top_principals.map(
      (result) =>
        `| ${escapeMarkdown(result.principal_id)} | ${escapeMarkdown(result.account_id)} | ${escapeMarkdown(teamOf(result))} | ${result.status} | ${result.score} | ${result.recommendation.removes.length} | ${result.recommendation.kind} |`,
    ),
    '',
    '## Biggest high-risk removals',
    '',
    GROUPED_NOTE,
    '',
  ];
  if (model.high_risk_removals.length === 0) {
    lines.push('No high-risk permission to remove.', '');
  } else {
    lines.push('| principal | high-risk removals | permissions |', '| --- | ---: | --- |');
    for (const removal of model.high_risk_removals) {
      const risks = new Map(removal.permissions.map((entry) => [entry.permission, entry.risk]));
      const permissions = groupedText(removal.permissions, model.grouping, 'first', (permission) =>
        risks.get(permission),
      );
      lines.push(
        `| ${escapeMarkdown(removal.principal_id)} | ${removal.permissions.length} | ${permissions} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    '## Unobservable permissions',
    '',
    'The logs cannot show whether these permissions are used, so no recommendation removes them.',
    '',
  );
  if (model.unobservable.length === 0) {
    lines.push('Every granted permission is observable.', '');
  } else {
    lines.push('| principal | reason | permissions | by service |', '| --- | --- | ---: | --- |');
    for (const entry of model.unobservable) {
      const reasons = [...new Set(entry.permissions.map((permission) => permission.reason))];
      for (const reason of reasons.sort()) {
        const permissions = entry.permissions.filter((permission) => permission.reason === reason);
        lines.push(
          `| ${escapeMarkdown(entry.principal_id)} | ${reason} | ${permissions.length} | ${groupedText(permissions, model.grouping, 'count')} |`,
        );
      }
    }
    lines.push('');
  }
  lines.push('## Recommendations', '');
  for (const result of model.principals) lines.push(...recommendationBlock(result, model.grouping));
  return `${lines.join('\n').trimEnd()}\n`;
}
