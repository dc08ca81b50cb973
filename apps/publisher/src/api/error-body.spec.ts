import { NotFoundException } from '@nestjs/common';
import { StorageError } from '@seedfleet/storage';
import { ApiError } from './api-error';
import { errorBody } from './error-body';

describe('errorBody', () => {
  it.each([
    [new ApiError(409, 'taken'), { statusCode: 409, error: 'Conflict', message: 'taken' }, false],
    [new StorageError('too-large', 'more than 10 bytes', 'k'), { statusCode: 413, error: 'Payload Too Large', message: 'upload too large: more than 10 bytes' }, false],
    [new StorageError('bad-key', 'bad key', 'k'), { statusCode: 400, error: 'Bad Request', message: 'storage: bad key' }, false],
    [new StorageError('unavailable', 'S3 503 SlowDown'), { statusCode: 503, error: 'Service Unavailable', message: 'storage: S3 503 SlowDown' }, true],
    [new StorageError('io', 'EIO at /srv/objects/x'), { statusCode: 500, error: 'Internal Server Error', message: 'storage failure' }, true],
    [new NotFoundException('Cannot GET /nope'), { statusCode: 404, error: 'Not Found', message: 'Cannot GET /nope' }, false],
    [Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' }), { statusCode: 413, error: 'Payload Too Large', message: 'request body too large' }, false],
    [Object.assign(new Error('Unexpected end'), { status: 400, type: 'entity.parse.failed' }), { statusCode: 400, error: 'Bad Request', message: 'request body is not valid JSON' }, false],
    [new TypeError('cannot read x of undefined'), { statusCode: 500, error: 'Internal Server Error', message: 'internal error' }, true],
  ])('maps %s', (exception, body, internal) => {
    expect(errorBody(exception)).toEqual({ body, internal });
  });
});
