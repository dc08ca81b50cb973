import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { StorageError, type StorageErrorCode } from '@seedfleet/storage';
import { ApiError } from './api-error';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

const STORAGE_STATUS: Record<StorageErrorCode, number> = {
  'not-found': 404,
  'bad-key': 400,
  'bad-range': 416,
  'too-large': 413,
  aborted: 400,
  unavailable: 503,
  'access-denied': 502,
  io: 500,
};

/**
 * Maps anything a request can throw to the JSON error body. Input problems are 4xx with the cause spelled
 * out; only our own failures are 5xx, and their details stay in the log (`internal` is true).
 */
export function errorBody(exception: unknown): { body: ErrorBody; internal: boolean } {
  if (exception instanceof ApiError) return { body: body(exception.statusCode, exception.message), internal: false };
  if (exception instanceof StorageError) {
    const status = STORAGE_STATUS[exception.code] ?? 500;
    const message = exception.code === 'too-large' ? `upload too large: ${exception.message}` : `storage: ${exception.message}`;
    return { body: body(status, status >= 500 && status !== 503 ? 'storage failure' : message), internal: status >= 500 };
  }
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : messageOf(response) ?? exception.message;
    return { body: body(exception.getStatus(), message), internal: exception.getStatus() >= 500 };
  }
  // body-parser and Node's http errors carry an HTTP status (413 entity.too.large, 400 entity.parse.failed).
  const status = (exception as { status?: unknown; statusCode?: unknown } | undefined)?.status ?? (exception as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = (exception as { type?: string }).type;
    const message = type === 'entity.too.large' ? 'request body too large' : type === 'entity.parse.failed' ? 'request body is not valid JSON' : (exception as Error).message;
    return { body: body(status, message), internal: false };
  }
  return { body: body(500, 'internal error'), internal: true };
}

function body(statusCode: number, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

function messageOf(response: object): string | undefined {
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : undefined;
}
