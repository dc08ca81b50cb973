import { parseTrackerTier, parseWebSeed } from './urls';

describe('tracker and web-seed URLs', () => {
  it('splits one --tracker value into the URLs of one tier', () => {
    expect(parseTrackerTier('udp://a:1/announce, https://b/announce')).toEqual(['udp://a:1/announce', 'https://b/announce']);
    expect(parseTrackerTier('http://a/announce')).toEqual(['http://a/announce']);
  });

  it.each([
    ['', 'no tracker URL given'],
    [',', 'no tracker URL given'],
    ['not a url', "'not a url' is not a URL"],
    ['ftp://a/announce', "'ftp://a/announce': expected one of http, https, udp, ws, wss"],
  ])('rejects tracker %j', (text, message) => {
    expect(() => parseTrackerTier(text)).toThrow(message);
  });

  it('accepts http(s) web seeds only', () => {
    expect(parseWebSeed('https://mirror.example/pub/')).toBe('https://mirror.example/pub/');
    expect(() => parseWebSeed('udp://x/')).toThrow('expected one of http, https');
  });
});
