import { parsePeerAddress, parsePort, parseRate } from './network';

describe('parsePeerAddress', () => {
  it.each([
    ['127.0.0.1:6881', { host: '127.0.0.1', port: 6881 }],
    ['seed.example.com:51413', { host: 'seed.example.com', port: 51413 }],
    ['[::1]:6881', { host: '::1', port: 6881 }],
    [' [2001:db8::7]:1 ', { host: '2001:db8::7', port: 1 }],
  ])('%s', (text, expected) => {
    expect(parsePeerAddress(text)).toEqual(expected);
  });

  it.each(['127.0.0.1', '::1:6881', '[nothost]:6881', 'host:0', 'host:65536', 'host:port', ':6881', ''])('refuses %j', (text) => {
    expect(() => parsePeerAddress(text)).toThrow(/HOST:PORT|port|IPv6/);
  });
});

describe('parsePort', () => {
  it('accepts 0 to 65535', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65535')).toBe(65535);
  });
  it.each(['-1', '65536', 'http', '1.5', ''])('refuses %j', (text) => {
    expect(() => parsePort(text)).toThrow(/not a port/);
  });
});

describe('parseRate', () => {
  it.each([
    ['0', 0],
    ['500K', 512_000],
    ['10M', 10 * 1024 * 1024],
    ['1.5MiB/s', 1.5 * 1024 * 1024],
    ['2048/s', 2048],
  ])('%s', (text, expected) => {
    expect(parseRate(text)).toBe(expected);
  });
  it.each(['fast', '-1M', '1X', ''])('refuses %j', (text) => {
    expect(() => parseRate(text)).toThrow(/not a rate/);
  });
});
