import type { SummaryWindow } from './types.js';

function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Describes the configured window and the span of the logs for people, in one or two
 * sentences: the window's days, start and end, the first and last event seen, and how many
 * days of the window those cover. When they cover fewer days than the window, the text states
 * that the confidence is lowered in proportion, because unused permissions may have been used in
 * the days the logs miss.
 */
export function describeWindow(window: SummaryWindow): string {
  const configured = `Window: ${window.days} days, ${utcMinute(window.start)} to ${utcMinute(window.end)}.`;
  if (window.first_event === null || window.last_event === null) {
    return `${configured} The logs hold no event of these accounts, so confidence is 0.`;
  }
  const span = `Logs of these accounts: first event ${utcMinute(window.first_event)}, last event ${utcMinute(window.last_event)}`;
  if (window.days_observed >= window.days) {
    return `${configured} ${span}, covering the whole window.`;
  }
  if (window.days_observed === 0) {
    return `${configured} ${span}, none of it in the window, so confidence is 0.`;
  }
  return `${configured} ${span}, covering ${window.days_observed} of the ${window.days} days, so confidence is lowered in proportion.`;
}
