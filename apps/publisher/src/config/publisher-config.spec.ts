import { resolve } from 'node:path';
import { ConfigError } from './config-error';
import { loadPublisherConfig } from './publisher-config';

describe('loadPublisherConfig', () => {
  it('has embedded defaults', () => {
    expect(loadPublisherConfig({})).toEqual({
      host: '0.0.0.0',
      port: 8080,
      publicUrl: 'http://127.0.0.1:8080',
      dataDir: resolve('./var'),
      redisUrl: undefined,
    });
  });

  it('reads the environment', () => {
    const config = loadPublisherConfig({ HOST: '10.1.2.3', PORT: '9000', PUBLIC_URL: 'https://seeds.example.com/', DATA_DIR: '/srv/sf', REDIS_URL: 'redis://r:6379/2' });
    expect(config).toEqual({ host: '10.1.2.3', port: 9000, publicUrl: 'https://seeds.example.com', dataDir: '/srv/sf', redisUrl: 'redis://r:6379/2' });
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadPublisherConfig({ PORT: 'eighty', PUBLIC_URL: 'ftp://x', REDIS_URL: 'not a url' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT: expected a TCP port (0-65535), got "eighty"',
      'REDIS_URL: not a valid URL: "not a url"',
      'PUBLIC_URL: expected a http: or https: URL, got "ftp://x"',
    ]);
  });
});
