import { DIGIT_0, isDigit, LETTER_E, MINUS } from './bytes';
import { BencodeError, describeByte } from './errors';

/**
 * Validates the integer token whose 'i' is at `start` and returns the offset of its closing 'e'.
 * Refuses what libtorrent refuses: no digits ('ie', 'i-e'), leading zeros, '-0' and overlong integers.
 */
export function scanInteger(input: Buffer, start: number, maxDigits: number): number {
  let pos = start + 1;
  if (pos < input.length && input[pos] === MINUS) {
    if (pos + 1 < input.length && input[pos + 1] === DIGIT_0 && !isDigit(input[pos + 2] ?? 0)) {
      throw new BencodeError('negative-zero', pos, 'negative zero');
    }
    pos++;
  }
  if (pos >= input.length) throw unexpectedEnd(input);
  if (!isDigit(input[pos])) {
    throw new BencodeError('expected-digit', pos, `expected a digit in integer, found ${describeByte(input[pos])}`);
  }
  const end = scanNatural(input, pos, maxDigits, 'integer');
  if (end >= input.length) throw unexpectedEnd(input);
  if (input[end] !== LETTER_E) {
    throw new BencodeError('expected-e', end, `expected 'e' to end integer, found ${describeByte(input[end])}`);
  }
  return end;
}

/** Validates the digits of a string length starting at `start` (a digit) and returns the offset after them. */
export function scanLength(input: Buffer, start: number): number {
  return scanNatural(input, start, Infinity, 'string length');
}

/** Decimal value of ASCII digits; exact up to 2^53, only compared against limits beyond that. */
export function decimalValue(input: Buffer, start: number, end: number): number {
  let value = 0;
  for (let pos = start; pos < end; pos++) value = value * 10 + (input[pos] - DIGIT_0);
  return value;
}

// 15 decimal digits always fit a double exactly; longer integers go through BigInt.
const EXACT_DIGITS = 15;

/** The value of a validated integer token's text [start, end) ('-' included): a number when safe, else a bigint. */
export function integerValue(input: Buffer, start: number, end: number): number | bigint {
  const negative = input[start] === MINUS;
  const digitsStart = negative ? start + 1 : start;
  if (end - digitsStart <= EXACT_DIGITS) {
    const magnitude = decimalValue(input, digitsStart, end);
    return negative ? -magnitude : magnitude;
  }
  const big = BigInt(input.toString('latin1', start, end));
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

export function unexpectedEnd(input: Buffer, detail = ''): BencodeError {
  return new BencodeError('unexpected-eof', input.length, `unexpected end of input${detail}`);
}

/** Digits from `start` (known to be a digit) with no leading zero; returns the offset after the last one. */
function scanNatural(input: Buffer, start: number, maxDigits: number, what: string): number {
  if (input[start] === DIGIT_0 && isDigit(input[start + 1] ?? 0)) {
    throw new BencodeError('leading-zero', start, `leading zero in ${what}`);
  }
  let pos = start;
  while (pos < input.length && isDigit(input[pos])) {
    if (pos - start === maxDigits) {
      throw new BencodeError('integer-too-long', pos, `integer longer than ${maxDigits} digits`);
    }
    pos++;
  }
  return pos;
}
