import { ALERT_SEVERITIES } from '@ciem/events';
import { acknowledgeAlert, alertExists, listAlertAcks, listAlerts } from '@ciem/query';
import type { FastifyInstance } from 'fastify';
import { notFoundError } from '../../errors.js';
import type { RouteContext } from '../app.js';
import {
  alertAckBody,
  alertSummary,
  errorBody,
  errorResponses,
  pageOf,
  pageParams,
  textParam,
  windowParams,
} from '../schemas.js';
import type { WindowQuery } from './common.js';
import { windowOf } from './common.js';

const SEVERITIES = ALERT_SEVERITIES;

interface AlertQuery extends WindowQuery {
  severity?: string[];
  rule_id?: string;
  principal_id?: string;
  acknowledged?: boolean;
  limit: number;
  cursor?: string;
}

/**
 * Registers `GET /alerts`, `POST /alerts/:alert_id/ack` (role admin) and
 * `GET /alerts/:alert_id/acks`.
 */
export function registerAlertRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get<{ Querystring: AlertQuery }>(
    '/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'List alerts whose first event lies in the window, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...windowParams,
            severity: {
              type: 'array',
              items: { type: 'string', enum: [...SEVERITIES] },
              maxItems: SEVERITIES.length,
              description: 'Severities to include; repeat the parameter for several.',
            },
            rule_id: textParam('Detector rule id.'),
            principal_id: textParam('Principal the alert is about.'),
            acknowledged: {
              type: 'boolean',
              description: '`true`: acknowledged only; `false`: unacknowledged only.',
            },
            ...pageParams(context.page.defaultRows, context.page.maxRows),
          },
        },
        response: { 200: pageOf(alertSummary), ...errorResponses },
      },
    },
    async (request) => {
      const query = request.query;
      return listAlerts(context.store, {
        window: windowOf(context, query),
        severities: query.severity,
        ruleId: query.rule_id,
        principalId: query.principal_id,
        acknowledged: query.acknowledged,
        limit: query.limit,
        cursor: query.cursor,
      });
    },
  );

  app.post<{ Params: { alert_id: string }; Body: { note?: string } | undefined }>(
    '/alerts/:alert_id/ack',
    {
      config: { role: 'admin' },
      // The body is optional: a request without one acknowledges with an empty note.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an alert (role admin)',
        description:
          'Records who acknowledged the alert and when. Acknowledging again makes the new note and time the alert\u2019s acknowledgement in the alert list; `GET /v1/alerts/{alert_id}/acks` keeps every one.',
        params: {
          type: 'object',
          properties: { alert_id: { type: 'string', minLength: 1, maxLength: 256 } },
          required: ['alert_id'],
        },
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { note: { type: 'string', maxLength: 2000 } },
        },
        response: {
          200: alertAckBody,
          404: { description: 'No alert with this id.', ...errorBody },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const alertId = request.params.alert_id;
      if (!(await alertExists(context.store, alertId))) throw notFoundError('alert', alertId);
      const ack = {
        alert_id: alertId,
        acknowledged_at: context.now(),
        acknowledged_by: request.caller?.id ?? '',
        note: request.body?.note ?? '',
      };
      await acknowledgeAlert(context.store, ack);
      request.log.info({ alert_id: alertId, caller: ack.acknowledged_by }, 'alert acknowledged');
      return ack;
    },
  );

  app.get<{ Params: { alert_id: string } }>(
    '/alerts/:alert_id/acks',
    {
      schema: {
        tags: ['alerts'],
        summary: 'List every acknowledgement of an alert, oldest first',
        description:
          'Who acknowledged the alert, when and with which note, including acknowledgements that a later one replaced in the alert list.',
        params: {
          type: 'object',
          properties: { alert_id: { type: 'string', minLength: 1, maxLength: 256 } },
          required: ['alert_id'],
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: alertAckBody } },
            required: ['items'],
          },
          404: { description: 'No alert with this id.', ...errorBody },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const alertId = request.params.alert_id;
      if (!(await alertExists(context.store, alertId))) throw notFoundError('alert', alertId);
      return { items: await listAlertAcks(context.store, alertId) };
    },
  );
}
