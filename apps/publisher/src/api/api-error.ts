/**
 * An error caused by the request, with the HTTP status the API answers with. Services throw these (or
 * StorageError); the exception filter turns them into `{ statusCode, error, message }`.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 404 | 409 | 413 | 503,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, message);
export const notFound = (message: string): ApiError => new ApiError(404, message);
export const conflict = (message: string): ApiError => new ApiError(409, message);
