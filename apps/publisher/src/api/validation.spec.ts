import { ApiError } from './api-error';
import { matching, releaseFilePath, VERSION_PATTERN } from './validation';

function refusal(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).statusCode).toBe(400);
    return (error as ApiError).message;
  }
  throw new Error('expected a 400');
}

describe('releaseFilePath', () => {
  it.each(['app', 'bin/app', 'a/b/c.tar.gz', '.hidden', 'a/.config/x', 'name with spaces/ü.txt', '...'])('accepts %j', (path) => {
    expect(releaseFilePath(path)).toBe(path);
  });

  it.each([
    ['', /required/],
    ['/etc/passwd', /is absolute/],
    ['C:/Windows', /drive-absolute/],
    ['a\\b', /backslash/],
    ['a\0b', /NUL/],
    ['a\nb', /control character/],
    ['a//b', /empty segment/],
    ['a/', /empty segment/],
    ['..', /"\.\." segment/],
    ['a/../../b', /"\.\." segment/],
    ['./a', /"\." segment/],
    ['x'.repeat(1025), /longer than 1024/],
    [`${'y'.repeat(256)}/a`, /segment is longer than 255/],
  ])('refuses %j', (path, message) => {
    expect(refusal(() => releaseFilePath(path))).toMatch(message);
  });

  it('refuses values that are not strings', () => {
    expect(refusal(() => releaseFilePath(42))).toMatch(/required/);
  });
});

describe('matching', () => {
  it('names the field and the pattern', () => {
    expect(matching('1.2.3+build.5', 'version', VERSION_PATTERN, '1.2.3')).toBe('1.2.3+build.5');
    expect(refusal(() => matching('-1', 'version', VERSION_PATTERN, '1.2.3'))).toBe('version: "-1" does not match ^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$');
    expect(refusal(() => matching(undefined, 'version', VERSION_PATTERN, '1.2.3'))).toBe('version: required, a string like "1.2.3"');
  });
});
