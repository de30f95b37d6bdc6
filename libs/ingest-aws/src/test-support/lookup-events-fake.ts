/**
 * A local HTTP server speaking the part of the CloudTrail API that the LookupEvents poller
 * uses, because moto 5.2 does not implement LookupEvents. It follows the AWS JSON 1.1
 * protocol: POST with `X-Amz-Target: CloudTrail_20131101.LookupEvents`, JSON bodies,
 * timestamps as epoch seconds, errors as HTTP 400 with `__type`. Like CloudTrail it returns
 * events newest first, in pages of `MaxResults` (at most 50) with an opaque `NextToken`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One event the fake serves. */
export interface FakeLookupEvent {
  eventId: string;
  /** Event time in milliseconds since the epoch, a whole second like CloudTrail's. */
  eventTime: number;
  /** The `CloudTrailEvent` string. */
  cloudTrailEvent: string;
}

/** A request the fake received. */
export interface FakeLookupRequest {
  /** `performance.now()` when it arrived. */
  at: number;
  startTime: number | undefined;
  endTime: number | undefined;
  nextToken: string | undefined;
  throttled: boolean;
}

/** The running fake. */
export interface LookupEventsFake {
  /** Endpoint to give the SDK client, such as `http://127.0.0.1:40123`. */
  readonly endpoint: string;
  /** Events served, in any order; add more at any time. */
  readonly events: FakeLookupEvent[];
  readonly requests: FakeLookupRequest[];
  /** Makes the next `count` requests fail with `ThrottlingException`. */
  throttleNext(count: number): void;
  close(): Promise<void>;
}

const target = 'CloudTrail_20131101.LookupEvents';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function epochSecondsToMs(value: unknown): number | undefined {
  return typeof value === 'number' ? Math.round(value * 1000) : undefined;
}

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startLookupEventsFake(): Promise<LookupEventsFake> {
  const events: FakeLookupEvent[] = [];
  const requests: FakeLookupRequest[] = [];
  let throttleCount = 0;

  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const send = (status: number, payload: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(payload));
      };
      const amzTarget = String(request.headers['x-amz-target'] ?? '');
      if (request.method !== 'POST' || !amzTarget.endsWith(target)) {
        send(400, { __type: 'UnknownOperationException', message: `unsupported ${amzTarget}` });
        return;
      }
      const input = JSON.parse(body || '{}') as Record<string, unknown>;
      const entry: FakeLookupRequest = {
        at: performance.now(),
        startTime: epochSecondsToMs(input.StartTime),
        endTime: epochSecondsToMs(input.EndTime),
        nextToken: typeof input.NextToken === 'string' ? input.NextToken : undefined,
        throttled: throttleCount > 0,
      };
      requests.push(entry);
      if (throttleCount > 0) {
        throttleCount -= 1;
        send(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
        return;
      }

      const start = entry.startTime ?? Number.NEGATIVE_INFINITY;
      const end = entry.endTime ?? Number.POSITIVE_INFINITY;
      const matching = events
        .filter((event) => event.eventTime >= start && event.eventTime <= end)
        .sort((a, b) => b.eventTime - a.eventTime || b.eventId.localeCompare(a.eventId));
      const pageSize = Math.min(50, typeof input.MaxResults === 'number' ? input.MaxResults : 50);
      const offset =
        entry.nextToken === undefined ? 0 : Number(entry.nextToken.slice('page-'.length));
      const page = matching.slice(offset, offset + pageSize);
      const more = offset + pageSize < matching.length;
      send(200, {
        Events: page.map((event) => ({
          EventId: event.eventId,
          EventName: 'ListBuckets',
          ReadOnly: 'true',
          EventTime: event.eventTime / 1000,
          EventSource: 's3.amazonaws.com',
          Username: 'alice',
          Resources: [],
          CloudTrailEvent: event.cloudTrailEvent,
        })),
        ...(more ? { NextToken: `page-${offset + pageSize}` } : {}),
      });
    })().catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    events,
    requests,
    throttleNext(count) {
      throttleCount = count;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
