import { parseByteSize, parsePieceLength } from './byte-size';

describe('parseByteSize', () => {
  it.each([
    ['262144', 262144],
    ['256K', 262144],
    ['256k', 262144],
    ['256KiB', 262144],
    ['1M', 1048576],
    ['16MiB', 16777216],
    ['1.5M', 1572864],
    ['2G', 2147483648],
    [' 4 kb ', 4096],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(['', 'abc', '1X', '-1', '1.1', '1e6', '0x10', '1 2'])('rejects %j', (text) => {
    expect(() => parseByteSize(text)).toThrow(/is not a (size|whole number)/);
  });
});

describe('parsePieceLength', () => {
  it('accepts powers of two from 16 KiB to 256 MiB', () => {
    expect(parsePieceLength('16K')).toBe(16384);
    expect(parsePieceLength('256M')).toBe(2 ** 28);
  });

  it.each(['8K', '300K', '512M', '2G', '3'])('rejects %s', (text) => {
    expect(() => parsePieceLength(text)).toThrow('the piece length must be a power of two from 16K to 256M');
  });
});
