import { BanList } from './ban-list';
import { canonicalIp } from './canonical-ip';
import { PeerAddresses } from './peer-addresses';

it('spells each address one way', () => {
  expect(canonicalIp('::ffff:10.0.0.1')).toBe('10.0.0.1');
  expect(canonicalIp('[2001:DB8:0:0::1]')).toBe('2001:db8::1');
  expect(canonicalIp('10.0.0.1')).toBe('10.0.0.1');
  expect(canonicalIp('example.com')).toBeUndefined();
  expect(canonicalIp('fe80::1%eth0')).toBeUndefined();
  expect(canonicalIp('')).toBeUndefined();
});

it('bans after the configured strikes and tells listeners once', () => {
  const bans = new BanList({ strikesToBan: 2 });
  const seen: string[] = [];
  bans.onBan((entry) => seen.push(`${entry.ip}: ${entry.reason}`));
  expect(bans.strike('10.0.0.7', 'bad piece 3')).toBe(false);
  expect(bans.isBanned('10.0.0.7')).toBe(false);
  expect(bans.strikesOf('::ffff:10.0.0.7')).toBe(1);
  expect(bans.strike('::ffff:10.0.0.7', 'bad piece 9')).toBe(true);
  expect(bans.isBanned('10.0.0.7')).toBe(true);
  expect(bans.strike('10.0.0.7', 'bad piece 11')).toBe(true);
  expect(seen).toEqual(['10.0.0.7: bad piece 9 (2 failures)']);
  expect(bans.isBanned('10.0.0.8')).toBe(false);
});

it('expires timed bans and unbans on request', () => {
  let now = 0;
  const bans = new BanList({ clock: () => now });
  bans.ban('2001:db8::1', 'test', 1000);
  bans.ban('10.0.0.1', 'forever');
  expect(bans.isBanned('2001:db8:0::1')).toBe(true);
  now = 1000;
  expect(bans.isBanned('2001:db8::1')).toBe(false);
  expect(bans.list().map((entry) => entry.ip)).toEqual(['10.0.0.1']);
  bans.unban('10.0.0.1');
  expect(bans.isBanned('10.0.0.1')).toBe(false);
});

it('stays bounded and refuses what is not an address', () => {
  const bans = new BanList({ maxEntries: 3 });
  for (let host = 1; host <= 5; host++) bans.ban(`10.0.0.${host}`, 'test');
  expect(bans.list().map((entry) => entry.ip)).toEqual(['10.0.0.3', '10.0.0.4', '10.0.0.5']);
  expect(bans.ban('not an ip', 'test')).toBe(false);
  expect(bans.strike('not an ip', 'test')).toBe(false);
  expect(() => new BanList({ strikesToBan: 0 })).toThrow(RangeError);
});

it('remembers where recent peer ids connected from, boundedly', () => {
  const addresses = new PeerAddresses(2);
  addresses.remember('aa', '10.0.0.1');
  addresses.remember('bb', '10.0.0.2');
  addresses.remember('aa', '10.0.0.3');
  addresses.remember('cc', '10.0.0.4');
  expect(addresses.addressOf('aa')).toBe('10.0.0.3');
  expect(addresses.addressOf('bb')).toBeUndefined();
  expect(addresses.addressOf('cc')).toBe('10.0.0.4');
});
