import { UsageError } from '../args/usage-error';

// Pure helpers for the keys commands' options; the key and metadata code is loaded only when a keys command runs.

export function parseCount(label: string, max: number): (text: string) => number {
  return (text) => {
    if (!/^\d{1,3}$/.test(text.trim()) || Number(text) < 1 || Number(text) > max) throw new Error(`'${text}' is not a ${label} from 1 to ${max}`);
    return Number(text);
  };
}

export function requireOption<T>(value: T | undefined, option: string, command: string): T {
  if (value === undefined) throw new UsageError(`${option} is required`, command);
  return value;
}
