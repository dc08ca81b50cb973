import type { PublisherConfig } from '../config/publisher-config';
import { loadTrustConfig, parseDuration } from './trust-config';

const publisher = { dataDir: '/var/lib/seedfleet' } as PublisherConfig;

describe('parseDuration', () => {
  it.each([
    ['90d', 90 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['5m', 300_000],
    ['30s', 30_000],
    ['250ms', 250],
    ['45', 45_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '0', '-5m', '1.5h', '5 minutes', '1w', `${'9'.repeat(13)}d`])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('loadTrustConfig', () => {
  it('defaults: keys under DATA_DIR/keys, auto init, re-sign every 5 minutes, 1d/7d/90d/365d lifetimes', () => {
    expect(loadTrustConfig(publisher, {})).toEqual({
      keysDir: '/var/lib/seedfleet/keys',
      autoInit: true,
      refreshIntervalMs: 300_000,
      refreshWindowMs: undefined,
      expiry: { root: 365 * 86_400_000, targets: 90 * 86_400_000, snapshot: 7 * 86_400_000, timestamp: 86_400_000 },
    });
  });

  it('reads every TUF_* setting', () => {
    const config = loadTrustConfig(publisher, { TUF_KEYS_DIR: '/keys', TUF_AUTO_INIT: 'off', TUF_TIMESTAMP_REFRESH: '1m', TUF_TIMESTAMP_RESIGN_BEFORE: '2h', TUF_TIMESTAMP_EXPIRES: '6h', TUF_SNAPSHOT_EXPIRES: '2d', TUF_TARGETS_EXPIRES: '30d', TUF_ROOT_EXPIRES: '730d' });
    expect(config).toEqual({ keysDir: '/keys', autoInit: false, refreshIntervalMs: 60_000, refreshWindowMs: 7_200_000, expiry: { root: 730 * 86_400_000, targets: 30 * 86_400_000, snapshot: 2 * 86_400_000, timestamp: 21_600_000 } });
  });

  it('reports every problem at once', () => {
    expect(() => loadTrustConfig(publisher, { TUF_TIMESTAMP_EXPIRES: 'soon', TUF_AUTO_INIT: 'maybe', TUF_TIMESTAMP_REFRESH: '13h' })).toThrow(
      /TUF_AUTO_INIT: expected true or false[\s\S]*TUF_TIMESTAMP_EXPIRES: expected a duration like 30s, 5m, 12h or 90d, got "soon"[\s\S]*TUF_TIMESTAMP_REFRESH: must be shorter than the re-sign window/,
    );
    expect(() => loadTrustConfig(publisher, { TUF_TIMESTAMP_RESIGN_BEFORE: '1d' })).toThrow(/TUF_TIMESTAMP_RESIGN_BEFORE: must be shorter than TUF_TIMESTAMP_EXPIRES/);
  });
});
