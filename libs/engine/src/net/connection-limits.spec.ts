import { ConnectionLimitError, ConnectionLimits } from './connection-limits';

describe('ConnectionLimits', () => {
  it('caps open connections per torrent, with per-torrent overrides', () => {
    const limits = new ConnectionLimits<string>({ maxConnections: 10, maxPerTorrent: 2 });
    limits.setTorrentLimit('b', 1);
    expect([limits.tryOpen('a'), limits.tryOpen('a'), limits.tryOpen('a')]).toEqual([true, true, false]);
    expect([limits.tryOpen('b'), limits.tryOpen('b')]).toEqual([true, false]);
    expect([limits.open, limits.openFor('a'), limits.openFor('b')]).toEqual([3, 2, 1]);
    limits.close('a');
    expect(limits.tryOpen('a')).toBe(true);
  });

  it('caps all connections together, half-open ones included', () => {
    const limits = new ConnectionLimits<string>({ maxConnections: 3, maxHalfOpen: 2, maxPerTorrent: 10 });
    expect([limits.tryStartHalfOpen(), limits.tryStartHalfOpen(), limits.tryStartHalfOpen()]).toEqual([true, true, false]);
    expect(limits.tryOpen('a')).toBe(true);
    expect(limits.tryOpen('b')).toBe(false);
    limits.endHalfOpen();
    expect(limits.tryOpen('b')).toBe(true);
    expect([limits.open, limits.halfOpen, limits.canOpen('c')]).toEqual([2, 1, false]);
  });

  it('refuses bookkeeping that never happened, and forgetting a torrent still connected', () => {
    const limits = new ConnectionLimits<string>();
    expect(() => limits.close('a')).toThrow(ConnectionLimitError);
    expect(() => limits.endHalfOpen()).toThrow(ConnectionLimitError);
    limits.tryOpen('a');
    expect(() => limits.removeTorrent('a')).toThrow('still has 1 open connections');
    limits.close('a');
    limits.removeTorrent('a');
    expect(() => new ConnectionLimits({ maxConnections: -1 })).toThrow(ConnectionLimitError);
  });
});
