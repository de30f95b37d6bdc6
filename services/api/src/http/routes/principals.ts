import { listPrincipals, readPrincipal } from '@ciem/query';
import type { FastifyInstance } from 'fastify';
import { notFoundError } from '../../errors.js';
import type { RouteContext } from '../app.js';
import {
  errorBody,
  errorResponses,
  pageOf,
  pageParams,
  principalDetail,
  principalSummary,
  providerParam,
  textParam,
  windowParams,
} from '../schemas.js';
import type { WindowQuery } from './common.js';
import { windowOf } from './common.js';

interface ListQuery extends WindowQuery {
  provider?: string;
  account_id?: string;
  limit: number;
  cursor?: string;
}

/** Registers `GET /principals` and `GET /principals/:principal_id`. */
export function registerPrincipalRoutes(app: FastifyInstance, context: RouteContext): void {
  const filters = {
    provider: providerParam,
    account_id: textParam('AWS account, Azure subscription or GCP project.'),
  };

  app.get<{ Querystring: ListQuery }>(
    '/principals',
    {
      schema: {
        tags: ['principals'],
        summary: 'List principals with permission use in the window',
        description:
          'Ordered by provider, account and principal id. Use counts come from `permission_usage` (whole UTC days); score and team from the latest recommendation in the window.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...windowParams,
            ...filters,
            ...pageParams(context.page.defaultRows, context.page.maxRows),
          },
        },
        response: { 200: pageOf(principalSummary), ...errorResponses },
      },
    },
    async (request) => {
      const query = request.query;
      return listPrincipals(context.store, {
        window: windowOf(context, query),
        provider: query.provider,
        accountId: query.account_id,
        limit: query.limit,
        cursor: query.cursor,
      });
    },
  );

  app.get<{
    Params: { principal_id: string };
    Querystring: WindowQuery & { provider?: string; account_id?: string; limit: number };
  }>(
    '/principals/:principal_id',
    {
      schema: {
        tags: ['principals'],
        summary: 'Read one principal: entitlements, use, score and last activity',
        description:
          'The principal id is URL-encoded (an ARN keeps its `/` as `%2F`). Entitlements are the latest snapshot in the window; each list holds at most `limit` rows and says when it was cut.',
        params: {
          type: 'object',
          properties: { principal_id: { type: 'string', minLength: 1, maxLength: 2048 } },
          required: ['principal_id'],
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...windowParams,
            ...filters,
            limit: pageParams(context.page.defaultRows, context.page.maxRows).limit,
          },
        },
        response: {
          200: principalDetail,
          404: {
            description: 'No entitlement, use or recommendation in the window.',
            ...errorBody,
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const query = request.query;
      const detail = await readPrincipal(context.store, {
        principalId: request.params.principal_id,
        provider: query.provider,
        accountId: query.account_id,
        window: windowOf(context, query),
        limit: query.limit,
      });
      if (detail === undefined) throw notFoundError('principal', request.params.principal_id);
      return detail;
    },
  );
}
