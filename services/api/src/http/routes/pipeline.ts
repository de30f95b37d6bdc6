import { countDeadLetters, readConsumerLag } from '@ciem/query';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../app.js';
import { errorResponses, pipelineStatus, windowParams } from '../schemas.js';
import type { WindowQuery } from './common.js';
import { windowOf } from './common.js';

/** Registers `GET /pipeline/status`. */
export function registerPipelineRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get<{ Querystring: WindowQuery }>(
    '/pipeline/status',
    {
      schema: {
        tags: ['pipeline'],
        summary: 'Consumer lag per group and topic, and dead-letter counts in the window',
        description:
          'A group and topic whose lag cannot be read reports `error` instead of failing the response. Dead letters are grouped by stage, reason, provider and error code, largest first.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...windowParams },
        },
        response: { 200: pipelineStatus, ...errorResponses },
      },
    },
    async (request) => {
      const window = windowOf(context, request.query);
      const [lag, deadLetters] = await Promise.all([
        readConsumerLag(context.lag.fetchLag, context.lag.pairs, context.lag.timeoutMs),
        countDeadLetters(context.store, window, context.page.maxRows),
      ]);
      return {
        window: { from: window.fromMs, to: window.toMs },
        consumer_lag: lag,
        dead_letters: deadLetters.groups,
        dead_letters_truncated: deadLetters.truncated,
      };
    },
  );
}
