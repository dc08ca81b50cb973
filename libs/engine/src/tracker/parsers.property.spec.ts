import { encode, type BEncodable } from '@seedfleet/bencode';
import { parseRawQuery } from '@seedfleet/testing';
import fc from 'fast-check';
import { parseAnnounceResponse as parseHttpAnnounce } from './http/announce-response';
import { percentEncodeBytes } from './http/query-string';
import { parseScrapeResponse as parseHttpScrape } from './http/scrape-response';
import { TrackerError } from './tracker-error';
import { parseAnnounceResponse as parseUdpAnnounce, parseConnectResponse, parseErrorMessage, parseScrapeResponse as parseUdpScrape } from './udp/udp-messages';

const url = 'http://tracker.test/announce';

/** Runs a parser on hostile input: it may succeed or throw a TrackerError, nothing else. */
function onlyTrackerErrors(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (error) {
    return error instanceof TrackerError && error.url === url;
  }
}

// Values shaped like tracker answers, with the field names trackers use, so the fuzzing reaches the field checks.
const fieldNames = ['interval', 'min interval', 'peers', 'peers6', 'failure reason', 'warning message', 'tracker id', 'complete', 'incomplete', 'files', 'ip', 'port'];
const bvalue: fc.Arbitrary<BEncodable> = fc.letrec<{ value: BEncodable }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer({ min: -10, max: 100_000 }),
    fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...fieldNames), tie('value'), { maxKeys: 6 }),
  ),
})).value;

describe('tracker answer parsers on arbitrary input', () => {
  it('HTTP announce and scrape answers: random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const body = Buffer.from(bytes);
        return onlyTrackerErrors(() => parseHttpAnnounce(body, url, 100)) && onlyTrackerErrors(() => parseHttpScrape(body, url));
      }),
      { numRuns: 2000 },
    );
  });

  it('HTTP announce and scrape answers: well-formed bencode of the wrong shapes', () => {
    fc.assert(
      fc.property(bvalue, (value) => {
        const body = encode(value);
        return onlyTrackerErrors(() => parseHttpAnnounce(body, url, 100)) && onlyTrackerErrors(() => parseHttpScrape(body, url));
      }),
      { numRuns: 2000 },
    );
  });

  it('UDP answers: random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom('ipv4' as const, 'ipv6' as const), (bytes, family) => {
        const packet = Buffer.from(bytes);
        parseErrorMessage(packet);
        return (
          onlyTrackerErrors(() => parseUdpAnnounce(packet, family, 50, url)) &&
          onlyTrackerErrors(() => parseConnectResponse(packet, url)) &&
          onlyTrackerErrors(() => parseUdpScrape(packet, 3, url))
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('percent-encoding', () => {
  it('round-trips any bytes through a raw query parser', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const encoded = percentEncodeBytes(bytes);
        expect(encoded).toMatch(/^[A-Za-z0-9\-._~%]*$/);
        expect(parseRawQuery(`/a?x=${encoded}`).get('x')).toEqual([Buffer.from(bytes)]);
      }),
    );
  });
});
