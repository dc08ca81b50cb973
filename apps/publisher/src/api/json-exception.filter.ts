import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { errorBody } from './error-body';

const logger = new Logger('api');

type HttpRequest = IncomingMessage & { originalUrl?: string };

/** Every error a route throws becomes `{ statusCode, error, message }`; 5xx causes are logged, not sent. */
@Catch()
export class JsonExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendJsonError(exception, http.getRequest<HttpRequest>(), http.getResponse<ServerResponse>());
  }
}

/** The same for errors raised by Express middleware that runs before Nest's routes (the JSON body parser). */
export function jsonErrorMiddleware(error: unknown, request: HttpRequest, response: ServerResponse, _next: (error?: unknown) => void): void {
  sendJsonError(error, request, response);
}

export function sendJsonError(exception: unknown, request: HttpRequest, response: ServerResponse): void {
  const { body, internal } = errorBody(exception);
  if (internal) logger.error(`${request.method} ${request.originalUrl ?? request.url}: ${(exception as Error)?.stack ?? String(exception)}`);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const payload = JSON.stringify(body);
  // A request body we refused (too large, bad path) may still be arriving: close rather than read it all.
  if (!request.complete) response.setHeader('Connection', 'close');
  response.writeHead(body.statusCode, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload) });
  response.end(payload);
}
