import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** `rel_` + 10 characters of millisecond time + 16 random ones (ULID layout, lower case): sortable, opaque. */
export function newReleaseId(now = Date.now()): string {
  let time = '';
  for (let rest = now, i = 0; i < 10; i += 1, rest = Math.floor(rest / 32)) time = CROCKFORD[rest % 32] + time;
  const random = randomBytes(10);
  let bits = 0n;
  for (const byte of random) bits = (bits << 8n) | BigInt(byte);
  let tail = '';
  for (let i = 0; i < 16; i += 1, bits >>= 5n) tail = CROCKFORD[Number(bits & 31n)] + tail;
  return `rel_${time}${tail}`;
}
