import type { Alert } from '@ciem/events';
import { RejectedError } from '@ciem/errors';
import { createLogger, createMetrics } from '@ciem/telemetry';
import { describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/alerts.js';
import { deliveryInterrupted } from './errors.js';
import { createAlertForwarder } from './forwarder.js';
import { createForwarderMetrics } from './metrics.js';
import type { AlertSink, DeliveryOutcome } from './sink.js';

const logger = createLogger({ service: 'forwarder-test', level: 'silent' });
const everything = [{ minSeverity: 'info', providers: null, accounts: null }] as const;
const highOnly = [{ minSeverity: 'high', providers: null, accounts: null }] as const;

function recordingSink(
  name: string,
  outcome: (alert: Alert) => DeliveryOutcome = (alert) => ({ alert, delivered: true }),
): AlertSink & { seen: string[] } {
  const seen: string[] = [];
  return {
    name,
    seen,
    async deliver(alerts) {
      seen.push(...alerts.map((alert) => alert.alert_id));
      return alerts.map(outcome);
    },
    close: async () => {},
  };
}

const low = makeAlert({ alert_id: 'low-1', severity: 'low' });
const high = makeAlert({ alert_id: 'high-1', severity: 'high' });

describe('createAlertForwarder', () => {
  it('sends alerts to matching destinations', async () => {
    const all = recordingSink('all');
    const urgent = recordingSink('urgent');
    const forwarder = createAlertForwarder({
      destinations: [
        { name: 'all', routes: everything, sink: all },
        { name: 'urgent', routes: highOnly, sink: urgent },
      ],
      deadLetter: async () => {},
      logger,
    });
    const summary = await forwarder.forward([low, high]);
    expect(all.seen).toEqual(['low-1', 'high-1']);
    expect(urgent.seen).toEqual(['high-1']);
    expect(summary).toEqual({ delivered: 3, deadLettered: 0, unrouted: 0 });
  });

  it('counts alerts no rule matches', async () => {
    const urgent = recordingSink('urgent');
    const forwarder = createAlertForwarder({
      destinations: [{ name: 'urgent', routes: highOnly, sink: urgent }],
      deadLetter: async () => {},
      logger,
    });
    expect(await forwarder.forward([low])).toEqual({ delivered: 0, deadLettered: 0, unrouted: 1 });
    expect(urgent.seen).toEqual([]);
  });

  it('dead-letters failed alerts per destination', async () => {
    const rejected = new RejectedError('CIEM_SIEM_DELIVERY_REJECTED', 'HTTP 403');
    const broken = recordingSink('broken', (alert) => ({
      alert,
      delivered: false,
      error: rejected,
    }));
    const letters: Array<[string, string, unknown]> = [];
    const forwarder = createAlertForwarder({
      destinations: [
        { name: 'ok', routes: everything, sink: recordingSink('ok') },
        { name: 'broken', routes: everything, sink: broken },
      ],
      deadLetter: async (destination, alert, error) => {
        letters.push([destination, alert.alert_id, error]);
      },
      logger,
    });
    const summary = await forwarder.forward([low, high]);
    expect(letters).toEqual([
      ['broken', 'low-1', rejected],
      ['broken', 'high-1', rejected],
    ]);
    expect(summary).toEqual({ delivered: 2, deadLettered: 2, unrouted: 0 });
  });

  it('throws when a delivery is interrupted', async () => {
    const ok = recordingSink('ok');
    const stopping: AlertSink = {
      name: 'stopping',
      deliver: async () => Promise.reject(deliveryInterrupted('stopping')),
      close: async () => {},
    };
    const forwarder = createAlertForwarder({
      destinations: [
        { name: 'stopping', routes: everything, sink: stopping },
        { name: 'ok', routes: everything, sink: ok },
      ],
      deadLetter: async () => {},
      logger,
    });
    await expect(forwarder.forward([low])).rejects.toMatchObject({
      code: 'CIEM_SIEM_DELIVERY_INTERRUPTED',
    });
    // The other destination still finished its delivery.
    expect(ok.seen).toEqual(['low-1']);
  });

  it('fails when dead-lettering fails', async () => {
    const broken = recordingSink('broken', (alert) => ({
      alert,
      delivered: false,
      error: new RejectedError('CIEM_SIEM_DELIVERY_REJECTED', 'HTTP 400'),
    }));
    const kafkaDown = new Error('broker unavailable');
    const forwarder = createAlertForwarder({
      destinations: [{ name: 'broken', routes: everything, sink: broken }],
      deadLetter: async () => Promise.reject(kafkaDown),
      logger,
    });
    await expect(forwarder.forward([low])).rejects.toBe(kafkaDown);
  });

  it('counts sent and dead-lettered alerts', async () => {
    const registry = createMetrics({ defaultMetrics: false });
    const rejected = new RejectedError('CIEM_SIEM_DELIVERY_REJECTED', 'HTTP 403');
    const forwarder = createAlertForwarder({
      destinations: [
        { name: 'ok', routes: everything, sink: recordingSink('ok') },
        {
          name: 'broken',
          routes: everything,
          sink: recordingSink('broken', (alert) => ({ alert, delivered: false, error: rejected })),
        },
      ],
      deadLetter: async () => {},
      logger,
      metrics: createForwarderMetrics(registry),
    });
    await forwarder.forward([low, high]);
    const text = await registry.metrics();
    expect(text).toContain('ciem_alert_forwarder_alerts_sent_total{destination="ok"} 2');
    expect(text).toContain(
      'ciem_alert_forwarder_alerts_dead_lettered_total{destination="broken",class="rejected"} 2',
    );
    expect(text).not.toContain('ciem_alert_forwarder_alerts_sent_total{destination="broken"}');
  });
});
