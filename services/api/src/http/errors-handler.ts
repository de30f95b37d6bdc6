import { CiemError, DependencyError, InputError, errorCodeOf } from '@ciem/errors';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@ciem/telemetry';
import {
  ApiErrorCodes,
  HTTP_STATUS_OF_CODE,
  invalidRequestError,
  notFoundError,
} from '../errors.js';

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  data?: unknown;
}

function describeData(data: unknown): string {
  const text = JSON.stringify(data) ?? String(data);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Turns an Ajv message such as `must be <= 1000` into the expectation `<= 1000`. */
function expectationOf(message: string | undefined): string {
  if (message === undefined) return 'a valid value';
  if (message === 'must match format "date-time"') return 'an RFC 3339 date-time';
  if (message.startsWith('must be ')) return message.slice('must be '.length);
  if (message.startsWith('must ')) return `to ${message.slice('must '.length)}`;
  return message;
}

/**
 * Formats schema validation errors into one `InputError` `CIEM_API_INVALID_REQUEST` whose
 * message names each field (`querystring.limit`), what it expects and what it received.
 */
export function formatSchemaErrors(errors: readonly AjvError[], dataVar: string): Error {
  const parts = errors.map((error) => {
    const path = error.instancePath.split('/').filter(Boolean);
    let expected = expectationOf(error.message);
    if (error.keyword === 'additionalProperties') {
      path.push(String(error.params.additionalProperty));
      expected = 'no such parameter; remove it';
    } else if (error.keyword === 'required') {
      path.push(String(error.params.missingProperty));
      expected = 'a value; it is required';
    } else if (error.keyword === 'enum') {
      expected = `one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
    }
    const field = [dataVar, ...path].join('.');
    const received =
      error.keyword === 'required' || error.keyword === 'additionalProperties' || !('data' in error)
        ? ''
        : `, received ${describeData(error.data)}`;
    return `${field}: expected ${expected}${received}`;
  });
  return invalidRequestError(parts.join('; '));
}

/** Returns the HTTP status of an error raised while handling a request. */
export function statusOf(error: unknown): number {
  if (error instanceof CiemError) {
    const status = HTTP_STATUS_OF_CODE[error.code];
    if (status !== undefined) return status;
    if (error instanceof InputError) return 400;
    if (error instanceof DependencyError) return 503;
    return 500;
  }
  const fastifyStatus = (error as Partial<FastifyError>).statusCode;
  if ((error as Partial<FastifyError>).validation !== undefined) return 400;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    return fastifyStatus;
  }
  return 500;
}

/** Sends the error body `{ statusCode, code, error, message }`; 5xx errors are logged. */
export function sendError(
  logger: Logger,
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const status = statusOf(error);
  const known = error instanceof CiemError || status < 500;
  let code = errorCodeOf(error);
  // fastify's own 400s (a body that is not JSON, say) get the documented request code.
  if (!(error instanceof CiemError) && status < 500) {
    code =
      status === 400
        ? ApiErrorCodes.invalidRequest
        : ((error as Partial<FastifyError>).code ?? ApiErrorCodes.invalidRequest);
  }
  if (status >= 500) {
    logger.error(
      { err: error, error_code: code, route: request.routeOptions.url, method: request.method },
      'request failed',
    );
  }
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(status).send({
    statusCode: status,
    code,
    error: STATUS_TEXT[status] ?? 'Error',
    // A bug's message may show internals, so only errors the code raised on purpose show theirs.
    message: known ? (error as Error).message : 'internal error; the service log has the details',
  });
}

/** Builds the 404 error of a route that does not exist. */
export function routeNotFound(request: FastifyRequest): Error {
  return notFoundError('route', `${request.method} ${request.url.split('?')[0] ?? ''}`);
}
