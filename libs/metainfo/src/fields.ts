import type { BDict, BValue } from '@seedfleet/bencode';
import { MetainfoError } from './errors';

// Typed reads from decoded dicts. Every failure names the field it was reading.

export function isDict(value: BValue | undefined): value is BDict {
  return value instanceof Map;
}

export function isList(value: BValue | undefined): value is BValue[] {
  return Array.isArray(value);
}

export function describeValue(value: BValue): string {
  if (Buffer.isBuffer(value)) return 'a byte string';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map) return 'a dictionary';
  return 'an integer';
}

export function expectDict(value: BValue, field: string): BDict {
  if (!isDict(value)) throw new MetainfoError(field, `must be a dictionary, got ${describeValue(value)}`);
  return value;
}

export function expectList(value: BValue, field: string): BValue[] {
  if (!isList(value)) throw new MetainfoError(field, `must be a list, got ${describeValue(value)}`);
  return value;
}

export function expectBytes(value: BValue, field: string): Buffer {
  if (!Buffer.isBuffer(value)) throw new MetainfoError(field, `must be a byte string, got ${describeValue(value)}`);
  return value;
}

/** A safe, non-negative integer (bigints only come from out-of-range values, so they are refused). */
export function expectCount(value: BValue, field: string): number {
  if (typeof value === 'bigint') {
    throw new MetainfoError(field, `${value} is larger than ${Number.MAX_SAFE_INTEGER}`);
  }
  if (typeof value !== 'number') throw new MetainfoError(field, `must be an integer, got ${describeValue(value)}`);
  if (value < 0) throw new MetainfoError(field, `must not be negative, got ${value}`);
  return value;
}

export function required(dict: BDict, key: string, field: string): BValue {
  const value = dict.get(key);
  if (value === undefined) throw new MetainfoError(field, 'is missing');
  return value;
}
