import { contentRange, decideRange, type RangeDecision } from './byte-range';

const part = (start: number, end: number): RangeDecision => ({ kind: 'partial', start, end });
const whole: RangeDecision = { kind: 'whole' };
const none: RangeDecision = { kind: 'unsatisfiable' };

describe('decideRange (size 1000)', () => {
  it.each<[string | undefined, RangeDecision]>([
    [undefined, whole],
    ['bytes=0-0', part(0, 0)],
    ['bytes=0-999', part(0, 999)],
    ['bytes=999-999', part(999, 999)],
    ['bytes=100-', part(100, 999)],
    ['bytes=500-5000', part(500, 999)],
    ['bytes=0-99999999999999999999999', part(0, 999)],
    ['bytes=-1', part(999, 999)],
    ['bytes=-100', part(900, 999)],
    ['bytes=-5000', part(0, 999)],
    ['BYTES = 1-2', part(1, 2)],
    ['bytes=1000-', none],
    ['bytes=1000-2000', none],
    ['bytes=-0', none],
    ['bytes=99999999999999999999-', none],
    // several ranges: the first satisfiable one, single part
    ['bytes=0-9, 20-29', part(0, 9)],
    ['bytes=2000-, 5-9', part(5, 9)],
    ['bytes=2000-, 3000-', none],
    // not something we understand: ignored, whole body (RFC 9110 §14.2)
    ['bytes=5-1', whole],
    ['bytes=-', whole],
    ['bytes=a-b', whole],
    ['bytes=1-2-3', whole],
    ['items=0-1', whole],
    ['bytes=', whole],
    ['0-1', whole],
    [`bytes=${Array.from({ length: 65 }, (_, i) => `${i}-${i}`).join(',')}`, whole],
  ])('%p', (header, expected) => {
    expect(decideRange(header, 1000)).toEqual(expected);
  });

  it('an empty body satisfies no range', () => {
    expect(decideRange('bytes=0-', 0)).toEqual(none);
    expect(decideRange('bytes=-1', 0)).toEqual(none);
    expect(decideRange(undefined, 0)).toEqual(whole);
  });

  it('formats Content-Range', () => {
    expect(contentRange(part(0, 9), 1000)).toBe('bytes 0-9/1000');
    expect(contentRange(none, 1000)).toBe('bytes */1000');
    expect(contentRange(whole, 1000)).toBeUndefined();
  });
});
