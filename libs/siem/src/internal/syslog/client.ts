import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { deliveryFailed } from '../errors.js';
import { secretUnavailable } from '../errors.js';
import type { SyslogSinkConfig } from './config.js';

/** A syslog connection that reconnects on the next write after any failure. */
export interface SyslogConnection {
  /** Writes framed messages; resolves once the socket has flushed them to the kernel. */
  write(frames: Buffer): Promise<void>;
  close(): Promise<void>;
}

function readPem(field: string, path: string | undefined): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    throw secretUnavailable(field, `cannot read ${path}: ${(error as Error).message}`);
  }
}

function connectSocket(config: SyslogSinkConfig): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    let socket: net.Socket;
    const onError = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(
        deliveryFailed(
          config.name,
          `connecting to ${config.host}:${config.port} failed: ${error.message}`,
          { cause: error },
        ),
      );
    };
    const timer = setTimeout(() => {
      onError(new Error(`no connection within ${config.connectTimeoutMs} ms`));
    }, config.connectTimeoutMs);
    const onConnect = (): void => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    };
    if (config.tls === null) {
      socket = net.connect({ host: config.host, port: config.port }, onConnect);
    } else {
      const { tls: settings } = config;
      // RFC 6066 section 3 does not permit an IP address as the SNI host name. Without a
      // server name, Node checks the certificate against `host`, an address included.
      const defaultServerName = net.isIP(config.host) === 0 ? config.host : undefined;
      socket = tls.connect(
        {
          host: config.host,
          port: config.port,
          servername: settings.serverName ?? defaultServerName,
          ca: readPem(`${config.name}.tls.caFile`, settings.caFile),
          cert: readPem(`${config.name}.tls.certFile`, settings.certFile),
          key: readPem(`${config.name}.tls.keyFile`, settings.keyFile),
          rejectUnauthorized: settings.rejectUnauthorized,
        },
        onConnect,
      );
    }
    socket.once('error', onError);
  });
}

/**
 * Opens syslog connections on demand. The socket is dropped on any error, on the server's
 * end of stream and on a failed write, and the next write connects again. A write in flight
 * when the connection breaks fails with a retriable `CIEM_SIEM_DELIVERY_FAILED`.
 *
 * NOTE: TCP syslog has no acknowledgement. A write counts as delivered once the kernel took
 * the bytes, so messages written just before the server drops the connection can be lost.
 * A retried batch can also repeat messages the server did read, so receivers dedupe by
 * `externalId` (the idempotency key).
 */
export function createSyslogConnection(config: SyslogSinkConfig): SyslogConnection {
  let current: net.Socket | undefined;
  let closed = false;

  const drop = (socket: net.Socket): void => {
    if (current === socket) current = undefined;
    socket.destroy();
  };

  const open = async (): Promise<net.Socket> => {
    if (current !== undefined) {
      // One turn of the event loop lets a close that the server already sent reach the
      // socket, so an idle connection the server dropped is not written to.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (current !== undefined && !current.destroyed && current.writable && !current.readableEnded) {
      return current;
    }
    const socket = await connectSocket(config);
    socket.on('error', () => drop(socket));
    socket.on('end', () => drop(socket));
    socket.on('close', () => drop(socket));
    // Syslog servers send nothing back; reading keeps 'end' observable.
    socket.resume();
    current = socket;
    return socket;
  };

  return {
    async write(frames) {
      if (closed) throw deliveryFailed(config.name, 'the connection is closed');
      const socket = await open();
      await new Promise<void>((resolve, reject) => {
        socket.write(frames, (error) => {
          if (error === undefined || error === null) {
            resolve();
            return;
          }
          drop(socket);
          reject(deliveryFailed(config.name, `writing failed: ${error.message}`, { cause: error }));
        });
      });
    },
    async close() {
      closed = true;
      const socket = current;
      current = undefined;
      if (socket === undefined) return;
      await new Promise<void>((resolve) => {
        socket.end(() => resolve());
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 1_000).unref();
      });
    },
  };
}
