import { ConnectionIds } from './connection-ids';

describe('ConnectionIds', () => {
  const secret = Buffer.alloc(32, 5);
  const ids = new ConnectionIds(secret, 120_000);
  const t0 = 1_700_000_040_000;

  it('accepts an id for at least one window and refuses it after two', () => {
    const id = ids.issue('192.0.2.1', t0);
    expect(id).toHaveLength(8);
    expect(ids.isValid(id, '192.0.2.1', t0 + 119_999)).toBe(true);
    expect(ids.isValid(id, '192.0.2.1', t0 + 240_001)).toBe(false);
  });

  it('binds the id to the client address', () => {
    expect(ids.isValid(ids.issue('192.0.2.1', t0), '192.0.2.2', t0)).toBe(false);
  });

  it('lets another replica with the same secret validate, not one with another secret', () => {
    const id = ids.issue('2001:db8::1', t0);
    expect(new ConnectionIds(Buffer.from(secret), 120_000).isValid(id, '2001:db8::1', t0 + 1)).toBe(true);
    expect(new ConnectionIds(Buffer.alloc(32, 6), 120_000).isValid(id, '2001:db8::1', t0 + 1)).toBe(false);
  });

  it('refuses a short secret', () => {
    expect(() => new ConnectionIds(Buffer.alloc(8))).toThrow(RangeError);
  });
});
