import { resolveWindow } from '@ciem/query';
import type { TimeWindow } from '@ciem/query';
import type { RouteContext } from '../app.js';

/** The window parameters of a request, RFC 3339 strings already checked by the schema. */
export interface WindowQuery {
  from?: string;
  to?: string;
}

/** Resolves a request's window against the configured default and maximum. */
export function windowOf(context: RouteContext, query: WindowQuery): TimeWindow {
  return resolveWindow(
    {
      fromMs: query.from === undefined ? undefined : Date.parse(query.from),
      toMs: query.to === undefined ? undefined : Date.parse(query.to),
    },
    context.now(),
    context.window,
  );
}
