import type { IncomingMessage, Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { seedfleetVersion } from '../builds/seedfleet-version';
import { JsonExceptionFilter, jsonErrorMiddleware } from './json-exception.filter';

/** JSON request bodies (API calls) are small; file contents come as raw PUT bodies, streamed, never parsed. */
export const MAX_JSON_BODY = '1mb';
export const OPENAPI_JSON_PATH = 'api/docs-json';

/**
 * HTTP wiring shared by main.ts and the tests: the JSON parser for everything but uploads (create the app
 * with `bodyParser: false`), JSON errors for every failure including the parser's, the OpenAPI document.
 */
export function configureHttp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: MAX_JSON_BODY, type: (request: IncomingMessage) => !isUpload(request) && /\bjson\b/i.test(request.headers['content-type'] ?? '') });
  express.use(jsonErrorMiddleware);
  // Node cuts off requests whose body takes longer than 5 minutes; a multi-GiB upload may take hours.
  // Slow unauthenticated bodies are not a risk: the admin guard answers before any body is read.
  (app.getHttpServer() as Server).requestTimeout = 0;
  app.useGlobalFilters(new JsonExceptionFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('seedfleet publisher')
      .setDescription('Products, releases, builds and downloads. Admin endpoints take "Authorization: Bearer <admin token>".')
      .setVersion(seedfleetVersion())
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH });
}

/** File uploads (PUT /api/releases/:id/files/...) are streamed by their handler, whatever their Content-Type. */
function isUpload(request: IncomingMessage): boolean {
  return request.method === 'PUT' && /^\/api\/releases\/[^/?]+\/files\//.test(request.url ?? '');
}
