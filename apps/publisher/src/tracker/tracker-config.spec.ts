import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/config-error';
import { loadTrackerConfig } from './tracker-config';

describe('loadTrackerConfig', () => {
  it('defaults to a private tracker without UDP on the publisher Redis', () => {
    const config = loadTrackerConfig({});
    expect(config).toMatchObject({ keyPrefix: 'seedfleet:tracker:', udpPort: undefined, redisUrl: undefined, udpSecret: undefined });
    expect(config.tracker).toMatchObject({ access: { kind: 'private' }, intervalSeconds: 1800, minIntervalSeconds: 60, maxNumWant: 100 });
  });

  it('reads open mode with an allow list, a separate Redis and UDP', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seedfleet-tracker-config-'));
    try {
      writeFileSync(join(dir, 'allow'), `${'AB'.repeat(20)}\n# comment\n`);
      const config = loadTrackerConfig({ TRACKER_MODE: 'open', TRACKER_ALLOW_FILE: join(dir, 'allow'), TRACKER_REDIS_URL: 'redis://swarms:6379/1', TRACKER_UDP_PORT: '6969', TRACKER_SECRET: 'aa'.repeat(16) });
      expect(config.tracker.access).toEqual({ kind: 'open', allow: new Set(['ab'.repeat(20)]) });
      expect(config).toMatchObject({ redisUrl: 'redis://swarms:6379/1', udpPort: 6969 });
      expect(config.udpSecret?.length).toBe(16);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadTrackerConfig({ TRACKER_MODE: 'public', TRACKER_INTERVAL: 'often', TRACKER_TRUSTED_PROXIES: 'lb.local', TRACKER_UDP_PORT: '70000', TRACKER_SECRET: 'xyz', TRACKER_MIN_INTERVAL: '99999' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'TRACKER_MODE: expected private or open, got "public"',
      'TRACKER_INTERVAL: expected a non-negative integer, got "often"',
      'tracker option minIntervalSeconds must be 0-1800, got 99999',
      "TRACKER_TRUSTED_PROXIES: trusted proxy 'lb.local' is not an IP address",
      'TRACKER_UDP_PORT: expected a TCP port (0-65535), got "70000"',
      'TRACKER_SECRET: expected at least 32 hex digits',
    ]);
  });
});
