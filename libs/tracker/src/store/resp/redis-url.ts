/** Where and how to reach Redis, from a redis:// or rediss:// URL. */
export interface RedisEndpointAddress {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly username?: string;
  readonly password?: string;
  /** SELECTed after connecting; 0 when the URL has no /N path. */
  readonly db: number;
}

/** `redis://[[user]:password@]host[:port][/db]`, as ioredis and redis-cli read it; throws RangeError otherwise. */
export function parseRedisUrl(text: string): RedisEndpointAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`'${text}' is not a URL`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new RangeError(`'${url.protocol}' is not redis: or rediss:`);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) throw new RangeError(`Redis URL path must be a database number, not '${path}'`);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(url.port || 6379),
    tls: url.protocol === 'rediss:',
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    db: path === '' ? 0 : Number(path),
  };
}
