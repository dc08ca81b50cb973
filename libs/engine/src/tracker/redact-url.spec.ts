import { redactTrackerUrl, trackerUrlForLog } from './redact-url';

describe('redactTrackerUrl', () => {
  it.each([
    ['https://t.example/announce/0123456789abcdef0123456789abcdef', 'https://t.example/announce/***'],
    ['http://t.example:8080/a1B2c3D4e5F6g7H8i9/announce', 'http://t.example:8080/***/announce'],
    ['https://t.example/announce.php?passkey=secret&info=1', 'https://t.example/announce.php?passkey=***&info=1'],
    ['udp://user:pw@t.example:6969/announce', 'udp://***:***@t.example:6969/announce'],
  ])('%s', (url, expected) => {
    expect(redactTrackerUrl(url)).toBe(expected);
  });

  it('leaves public URLs and non-URLs alone', () => {
    expect(redactTrackerUrl('udp://tracker.opentrackr.org:1337/announce')).toBe('udp://tracker.opentrackr.org:1337/announce');
    expect(redactTrackerUrl('http://127.0.0.1:6969/announce?ok=1')).toBe('http://127.0.0.1:6969/announce?ok=1');
    expect(redactTrackerUrl('not a url')).toBe('not a url');
  });
});

describe('trackerUrlForLog', () => {
  it('drops the announce parameters and hides the passkey', () => {
    const request = 'http://t.example/announce/0123456789abcdef0123456789abcdef?info_hash=%EF%BF%BD&peer_id=-SF0001-x&port=1&uploaded=0&downloaded=0&left=9&compact=1&event=started&numwant=50&key=ab12';
    expect(trackerUrlForLog(request)).toBe('http://t.example/announce/***');
    expect(trackerUrlForLog('https://t.example/announce.php?passkey=s3cret&info_hash=x')).toBe('https://t.example/announce.php?passkey=***');
  });
});
