import { searchEvents } from '@ciem/query';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../app.js';
import {
  errorResponses,
  eventSummary,
  pageOf,
  pageParams,
  providerParam,
  textParam,
  windowParams,
} from '../schemas.js';
import type { WindowQuery } from './common.js';
import { windowOf } from './common.js';

interface EventQuery extends WindowQuery {
  provider?: string;
  account_id?: string;
  principal_id?: string;
  permission?: string;
  resource?: string;
  outcome?: 'success' | 'denied' | 'failed';
  limit: number;
  cursor?: string;
}

/** Registers `GET /events`. */
export function registerEventRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get<{ Querystring: EventQuery }>(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Search events, newest first',
        description:
          'Ordered by event time, then event id, both descending, so pages never overlap or skip: pass `next_cursor` as `cursor` for the next page. Redelivered copies of an event show once.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...windowParams,
            provider: providerParam,
            account_id: textParam('AWS account, Azure subscription or GCP project.'),
            principal_id: textParam('Principal id, exact.'),
            permission: textParam('One of the permissions the call exercised, exact.'),
            resource: textParam('One of the resources of the call, exact.'),
            outcome: { type: 'string', enum: ['success', 'denied', 'failed'] },
            ...pageParams(context.page.defaultRows, context.page.maxRows),
          },
        },
        response: { 200: pageOf(eventSummary), ...errorResponses },
      },
    },
    async (request) => {
      const query = request.query;
      return searchEvents(context.store, {
        window: windowOf(context, query),
        provider: query.provider,
        accountId: query.account_id,
        principalId: query.principal_id,
        permission: query.permission,
        resource: query.resource,
        outcome: query.outcome,
        limit: query.limit,
        cursor: query.cursor,
      });
    },
  );
}
