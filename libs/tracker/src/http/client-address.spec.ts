import { clientAddress, trustedProxySet } from './client-address';

const proxies = trustedProxySet(['10.0.0.1', '::1']);
const from = (socketAddress: string, extra: { forwardedFor?: string; ip?: string } = {}) =>
  clientAddress({ socketAddress, forwardedFor: extra.forwardedFor, ipParameter: extra.ip === undefined ? undefined : Buffer.from(extra.ip), port: 6881 }, proxies);

describe('clientAddress', () => {
  it('uses the socket address, normalising IPv4-mapped and IPv6 text', () => {
    expect(from('192.0.2.5')).toEqual({ ip: '192.0.2.5', family: 4, port: 6881 });
    expect(from('::ffff:192.0.2.5')).toEqual({ ip: '192.0.2.5', family: 4, port: 6881 });
    expect(from('2001:DB8:0:0:0:0:0:1')).toEqual({ ip: '2001:db8::1', family: 6, port: 6881 });
  });

  it('ignores ip= and X-Forwarded-For from anyone but a trusted proxy', () => {
    expect(from('192.0.2.5', { ip: '198.51.100.1', forwardedFor: '198.51.100.2' })?.ip).toBe('192.0.2.5');
  });

  it('believes a trusted proxy: ip= first, else the rightmost X-Forwarded-For entry', () => {
    expect(from('10.0.0.1', { ip: '198.51.100.1', forwardedFor: '198.51.100.2' })?.ip).toBe('198.51.100.1');
    expect(from('::ffff:10.0.0.1', { forwardedFor: '203.0.113.9, 198.51.100.2' })?.ip).toBe('198.51.100.2');
    expect(from('::1', { forwardedFor: '2001:db8::5' })).toEqual({ ip: '2001:db8::5', family: 6, port: 6881 });
  });

  it('falls back to the proxy itself when what it forwards is not an address', () => {
    expect(from('10.0.0.1', { ip: 'example.com', forwardedFor: 'unknown' })?.ip).toBe('10.0.0.1');
  });

  it('refuses a trusted proxy that is not an IP address', () => {
    expect(() => trustedProxySet(['proxy.local'])).toThrow(RangeError);
  });
});
