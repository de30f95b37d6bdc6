import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { verifyWebhookSignature } from '../internal/webhook/encode.js';

/** Behaviour of a receiver for the next request: accept it, or return a failure status. */
export type ReceiverMode = 'accept' | 'busy' | 'reject';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function listen(server: Server | net.Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server | net.Server): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Splits a stream of concatenated JSON objects (a HEC body) into the objects. */
export function splitConcatenatedJson(body: string): Array<Record<string, unknown>> {
  const objects: Array<Record<string, unknown>> = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let index = 0; index < body.length; index += 1) {
    const character = body[index];
    if (inString) {
      if (character === '\\') index += 1;
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') inString = true;
    else if (character === '{') {
      if (depth === 0) start = index;
      depth += 1;
    } else if (character === '}') {
      depth -= 1;
      if (depth === 0)
        objects.push(JSON.parse(body.slice(start, index + 1)) as Record<string, unknown>);
    }
  }
  if (depth !== 0) throw new Error('unbalanced JSON in the HEC body');
  return objects;
}

/** A local HTTP receiver of HEC or webhook requests. */
export interface HttpReceiver {
  readonly url: string;
  readonly port: number;
  /** Every accepted event (HEC) or body (webhook), in arrival order. */
  readonly received: Array<Record<string, unknown>>;
  /** Idempotency keys seen more than once among accepted requests. */
  readonly repeatedKeys: string[];
  /** Requests handled, failures included. */
  requests: number;
  mode: ReceiverMode;
  close(): Promise<void>;
}

interface HttpHandlerContext {
  received: Array<Record<string, unknown>>;
  seenKeys: Set<string>;
  repeatedKeys: string[];
}

async function startHttpReceiver(
  handle: (
    request: IncomingMessage,
    body: string,
    response: ServerResponse,
    context: HttpHandlerContext,
  ) => void,
  mode: () => ReceiverMode,
  failure: (response: ServerResponse, mode: ReceiverMode) => void,
): Promise<HttpReceiver> {
  const context: HttpHandlerContext = { received: [], seenKeys: new Set(), repeatedKeys: [] };
  const state = { requests: 0, mode: 'accept' as ReceiverMode };
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      state.requests += 1;
      const current = mode();
      if (current !== 'accept') {
        failure(response, current);
        return;
      }
      handle(request, body, response, context);
      // Only accepted requests count: a rejected request leaves nothing to repeat.
      const key = request.headers['idempotency-key'];
      if (typeof key === 'string' && response.statusCode < 300) {
        if (context.seenKeys.has(key)) context.repeatedKeys.push(key);
        context.seenKeys.add(key);
      }
    });
  });
  const port = await listen(server);
  const receiver: HttpReceiver = {
    url: `http://127.0.0.1:${port}`,
    port,
    received: context.received,
    repeatedKeys: context.repeatedKeys,
    get requests() {
      return state.requests;
    },
    set requests(value) {
      state.requests = value;
    },
    get mode() {
      return state.mode;
    },
    set mode(value) {
      state.mode = value;
    },
    close: () => close(server),
  };
  return receiver;
}

function json(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * Starts a HEC-compatible receiver on 127.0.0.1: it checks `Authorization: Splunk <token>`
 * (401 code 2 when missing, 403 code 4 when wrong), parses the concatenated events and
 * returns `{"text":"Success","code":0}`. In `busy` mode it returns 503 code 9 with
 * `Retry-After: 1`; in `reject` mode 400 code 6 (invalid data format). With `ack` it
 * requires the channel header, returns an `ackId` per request and reports an id as
 * acknowledged on `/services/collector/ack` after `pollsBeforeAck` polls of it.
 */
export async function startHecReceiver(
  token: string,
  options: { ack?: { pollsBeforeAck: number } } = {},
): Promise<HttpReceiver & { ackPolls: number }> {
  let nextAckId = 0;
  const state = { ackPolls: 0 };
  const pollsOf = new Map<number, number>();

  const handleAck = (body: string, response: ServerResponse): void => {
    state.ackPolls += 1;
    const ids = (JSON.parse(body) as { acks?: number[] }).acks ?? [];
    const acks: Record<string, boolean> = {};
    for (const id of ids) {
      const polls = (pollsOf.get(id) ?? 0) + 1;
      pollsOf.set(id, polls);
      acks[String(id)] = polls > (options.ack?.pollsBeforeAck ?? 0);
    }
    json(response, 200, { acks });
  };

  const receiver = await startHttpReceiver(
    (request, body, response, context) => {
      const authorization = request.headers.authorization;
      if (authorization === undefined) {
        return json(response, 401, { text: 'Token is required', code: 2 });
      }
      if (authorization !== `Splunk ${token}`) {
        return json(response, 403, { text: 'Invalid token', code: 4 });
      }
      const channel = request.headers['x-splunk-request-channel'];
      if (options.ack !== undefined && channel === undefined) {
        return json(response, 400, { text: 'Data channel is missing', code: 10 });
      }
      if (request.url === '/services/collector/ack' && options.ack !== undefined) {
        return handleAck(body, response);
      }
      if (request.url !== '/services/collector/event') {
        return json(response, 404, {
          text: 'The requested URL was not found on this server.',
          code: 404,
        });
      }
      let events: Array<Record<string, unknown>>;
      try {
        events = splitConcatenatedJson(body);
      } catch {
        return json(response, 400, { text: 'Invalid data format', code: 6 });
      }
      if (events.length === 0) return json(response, 400, { text: 'No data', code: 5 });
      if (events.some((event) => event.event === undefined)) {
        return json(response, 400, { text: 'Event field is required', code: 12 });
      }
      context.received.push(...events);
      if (options.ack === undefined) return json(response, 200, { text: 'Success', code: 0 });
      json(response, 200, { text: 'Success', code: 0, ackId: nextAckId });
      nextAckId += 1;
    },
    () => receiver.mode,
    (response, mode) => {
      if (mode === 'busy') {
        json(response, 503, { text: 'Server is busy', code: 9 }, { 'retry-after': '1' });
      } else {
        json(response, 400, { text: 'Invalid data format', code: 6 });
      }
    },
  );
  return Object.defineProperty(receiver, 'ackPolls', {
    get: () => state.ackPolls,
  }) as HttpReceiver & {
    ackPolls: number;
  };
}

/**
 * Starts a webhook receiver on 127.0.0.1 that checks the `X-Ciem-Signature` HMAC with
 * `secret` (401 when it does not verify) and stores the parsed bodies. In `busy` mode it
 * returns 503 with `Retry-After: 1`, and in `reject` mode 422.
 */
export async function startWebhookReceiver(
  secret: string,
): Promise<HttpReceiver & { badSignatures: number }> {
  const counters = { badSignatures: 0 };
  const base = await startHttpReceiver(
    (request, body, response, context) => {
      const signature = request.headers['x-ciem-signature'];
      const check =
        typeof signature === 'string'
          ? verifyWebhookSignature(secret, signature, body, Math.floor(Date.now() / 1000))
          : 'malformed';
      if (check !== 'ok') {
        counters.badSignatures += 1;
        return json(response, 401, { error: `signature ${check}` });
      }
      context.received.push(JSON.parse(body) as Record<string, unknown>);
      json(response, 202, { accepted: true });
    },
    () => base.mode,
    (response, mode) => {
      if (mode === 'busy') json(response, 503, { error: 'busy' }, { 'retry-after': '1' });
      else json(response, 422, { error: 'rejected' });
    },
  );
  return Object.defineProperty(base, 'badSignatures', {
    get: () => counters.badSignatures,
  }) as HttpReceiver & { badSignatures: number };
}

/** One syslog message read from an octet-counted stream. */
export interface ReceivedSyslog {
  raw: string;
  pri: number;
  version: string;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: string;
  message: string;
}

/** Parses one RFC 5424 message whose structured data is `-` or one element. */
export function parseSyslogMessage(raw: string): ReceivedSyslog {
  const match =
    /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[(?:[^\]\\]|\\.)*\]) ?(.*)$/s.exec(raw);
  if (match === null) throw new Error(`not an RFC 5424 message: ${raw.slice(0, 120)}`);
  return {
    raw,
    pri: Number(match[1]),
    version: match[2]!,
    timestamp: match[3]!,
    hostname: match[4]!,
    appName: match[5]!,
    procId: match[6]!,
    msgId: match[7]!,
    structuredData: match[8]!,
    message: match[9]!,
  };
}

/** Reads octet-counted frames (`<length> <message>`) from a byte stream. */
export function createFrameReader(onFrame: (message: string) => void): (chunk: Buffer) => void {
  let buffered = Buffer.alloc(0);
  return (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const space = buffered.indexOf(0x20);
      if (space < 0) return;
      const length = Number(buffered.subarray(0, space).toString('ascii'));
      if (!Number.isInteger(length) || length <= 0) throw new Error('invalid octet count');
      if (buffered.length < space + 1 + length) return;
      onFrame(buffered.subarray(space + 1, space + 1 + length).toString('utf8'));
      buffered = buffered.subarray(space + 1 + length);
    }
  };
}

/** A local TLS (or TCP) syslog listener. */
export interface SyslogReceiver {
  readonly port: number;
  readonly received: ReceivedSyslog[];
  /** Common names of the client certificates of accepted TLS connections. */
  readonly clientNames: string[];
  /** Server names (SNI) that TLS clients sent, `false` for a connection without one. */
  readonly serverNames: Array<string | false>;
  /** Stops listening and drops the connections; `start` listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a syslog listener on 127.0.0.1. With `tls` it is RFC 5425 (TLS, and a client
 * certificate signed by `ca` is required when `requireClientCert` is set), else plain TCP.
 */
export async function startSyslogReceiver(options: {
  tls?: { cert: Buffer; key: Buffer; ca: Buffer; requireClientCert: boolean };
  port?: number;
}): Promise<SyslogReceiver> {
  const received: ReceivedSyslog[] = [];
  const clientNames: string[] = [];
  const serverNames: Array<string | false> = [];
  const sockets = new Set<net.Socket>();
  const onSocket = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (socket instanceof tls.TLSSocket) {
      const subject = socket.getPeerCertificate()?.subject;
      if (subject?.CN !== undefined) clientNames.push(String(subject.CN));
      serverNames.push(socket.servername ?? false);
    }
    const read = createFrameReader((message) => received.push(parseSyslogMessage(message)));
    socket.on('data', (chunk: Buffer) => {
      try {
        read(chunk);
      } catch {
        socket.destroy();
      }
    });
  };
  const make = (): net.Server =>
    options.tls === undefined
      ? net.createServer(onSocket)
      : tls.createServer(
          {
            cert: options.tls.cert,
            key: options.tls.key,
            ca: options.tls.ca,
            requestCert: options.tls.requireClientCert,
            rejectUnauthorized: options.tls.requireClientCert,
          },
          onSocket,
        );
  let server: net.Server | undefined = make();
  const port = await listen(server, options.port ?? 0);
  const stop = async (): Promise<void> => {
    const current = server;
    server = undefined;
    if (current === undefined) return;
    for (const socket of sockets) socket.destroy();
    await close(current);
  };
  return {
    port,
    received,
    clientNames,
    serverNames,
    stop,
    async start() {
      if (server !== undefined) return;
      server = make();
      await listen(server, port);
    },
    close: stop,
  };
}
