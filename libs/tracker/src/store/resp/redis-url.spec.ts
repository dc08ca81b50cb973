import { parseRedisUrl } from './redis-url';

describe('parseRedisUrl', () => {
  it.each([
    ['redis://127.0.0.1:6379', { host: '127.0.0.1', port: 6379, tls: false, username: undefined, password: undefined, db: 0 }],
    ['redis://cache.internal', { host: 'cache.internal', port: 6379, tls: false, db: 0 }],
    ['rediss://:s%40cret@cache:6380/3', { host: 'cache', port: 6380, tls: true, username: undefined, password: 's@cret', db: 3 }],
    ['redis://tracker:pw@[::1]:7000/', { host: '::1', port: 7000, username: 'tracker', password: 'pw', db: 0 }],
  ])('reads %s', (url, expected) => {
    expect(parseRedisUrl(url)).toMatchObject(expected);
  });

  it.each(['localhost:6379', 'http://cache:6379', 'redis://cache/db1', 'not a url'])('refuses %s', (url) => {
    expect(() => parseRedisUrl(url)).toThrow(RangeError);
  });
});
