import fc from 'fast-check';
import { isValidKey, MAX_KEY_BYTES, validateKey, validatePrefix } from './keys';
import { StorageError } from './object-store';

describe('validateKey', () => {
  it.each(['a', 'releases/rel_01/files/a/b.bin', 'meta/products/x.json', 'a..b/c.d', '.hidden/x', 'dir with space/ü…', 'x'.repeat(MAX_KEY_BYTES)])('accepts %s', (key) => {
    expect(validateKey(key)).toBe(key);
  });

  it.each([
    ['', 'empty'],
    ['/etc/passwd', 'absolute'],
    ['a/../../etc', '".." path segment'],
    ['./a', '"." path segment'],
    ['a//b', 'empty path segment'],
    ['a/', 'empty path segment'],
    ['a\\b', 'backslash'],
    ['a\0b', 'NUL'],
    ['a\tb', 'control character'],
    ['\ud83d', 'lone surrogate'],
    ['é'.repeat(MAX_KEY_BYTES / 2 + 1), `longer than ${MAX_KEY_BYTES} bytes`],
  ])('refuses %j (%s) with bad-key naming the problem', (key, problem) => {
    let error: unknown;
    try {
      validateKey(key);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('bad-key');
    expect((error as StorageError).message).toContain(problem);
  });

  it('never lets a valid key leave the root once joined as path segments', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (key) => {
        if (!isValidKey(key)) return;
        const segments = key.split('/');
        expect(segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !segment.includes('\\'))).toBe(true);
      }),
    );
  });

  it('throws only StorageError for arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        try {
          validateKey(value as string);
        } catch (error) {
          expect(error).toBeInstanceOf(StorageError);
        }
      }),
    );
  });
});

describe('validatePrefix', () => {
  it.each(['', 'releases/', 'releases/rel_1/fi', 'a'])('accepts %j', (prefix) => expect(validatePrefix(prefix)).toBe(prefix));
  it.each(['/', '../', 'a//', '/abs', 'a/../'])('refuses %j', (prefix) => expect(() => validatePrefix(prefix)).toThrow(StorageError));
});
