import { listRecommendations } from '@ciem/query';
import type { RightsizingResult } from '@ciem/rightsizing';
import { renderReport, reportFileName } from '@ciem/rightsizing-reports';
import type { ReportScope } from '@ciem/rightsizing-reports';
import type { FastifyInstance } from 'fastify';
import { invalidRequestError } from '../../errors.js';
import type { RouteContext } from '../app.js';
import {
  errorResponses,
  pageOf,
  pageParams,
  providerParam,
  recommendationSummary,
  textParam,
  windowParams,
} from '../schemas.js';
import type { WindowQuery } from './common.js';
import { windowOf } from './common.js';

interface RecommendationQuery extends WindowQuery {
  provider?: string;
  account_id?: string;
  team?: string;
  min_score?: number;
  max_score?: number;
  format: 'json' | 'csv' | 'html';
  limit: number;
  cursor?: string;
}

/** Scope of a rendered report: the account or team filtered on, else every account. */
function scopeOf(query: RecommendationQuery): ReportScope {
  if (query.account_id !== undefined) return { kind: 'account', key: query.account_id };
  if (query.team !== undefined) return { kind: 'team', key: query.team };
  return { kind: 'account', key: 'all' };
}

/** Registers `GET /recommendations` (JSON page, CSV or HTML report). */
export function registerRecommendationRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get<{ Querystring: RecommendationQuery }>(
    '/recommendations',
    {
      schema: {
        tags: ['recommendations'],
        summary: 'List the latest recommendation per principal, highest score first',
        description:
          '`format=json` returns a page; `format=csv` (a download) and `format=html` (the rendered report of @ciem/rightsizing-reports) render the same page and send the next cursor in the `X-Next-Cursor` header.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...windowParams,
            provider: providerParam,
            account_id: textParam('AWS account, Azure subscription or GCP project.'),
            team: textParam('Owning team; principals without one have team `` (empty).'),
            min_score: {
              type: 'number',
              minimum: 0,
              maximum: 100,
              description: 'Lowest score, inclusive.',
            },
            max_score: {
              type: 'number',
              minimum: 0,
              maximum: 100,
              description: 'Highest score, inclusive.',
            },
            format: { type: 'string', enum: ['json', 'csv', 'html'], default: 'json' },
            ...pageParams(context.page.defaultRows, context.page.maxRows),
          },
        },
        response: {
          200: {
            description:
              'A page of recommendations as JSON, or the same page as a CSV or HTML report.',
            headers: {
              'x-next-cursor': {
                type: 'string',
                description:
                  'Cursor of the next page of a CSV or HTML report; absent on the last page.',
              },
            },
            content: {
              'application/json': { schema: pageOf(recommendationSummary) },
              'text/csv': { schema: { type: 'string', description: 'The CSV report.' } },
              'text/html': { schema: { type: 'string', description: 'The HTML report.' } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      if (
        query.min_score !== undefined &&
        query.max_score !== undefined &&
        query.min_score > query.max_score
      ) {
        throw invalidRequestError(
          `querystring.min_score: expected at most max_score (${query.max_score}), received ${query.min_score}; swap the two or drop one`,
        );
      }
      const page = await listRecommendations(context.store, {
        window: windowOf(context, query),
        provider: query.provider,
        accountId: query.account_id,
        team: query.team,
        minScore: query.min_score,
        maxScore: query.max_score,
        limit: query.limit,
        cursor: query.cursor,
      });
      if (query.format === 'json') return page;

      const results = page.items.map((item) => JSON.parse(item.result) as RightsizingResult);
      const report = renderReport(scopeOf(query), results, {
        generatedAt: context.now(),
        topPrincipals: Math.min(results.length, 10),
      });
      if (page.next_cursor !== null) reply.header('x-next-cursor', page.next_cursor);
      if (query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${reportFileName(report, 'csv')}"`)
          .send(report.csv);
      }
      return reply.type('text/html; charset=utf-8').send(report.html);
    },
  );
}
