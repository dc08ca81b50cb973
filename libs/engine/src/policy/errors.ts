/**
 * Why a policy refused a call. Policies are fed by the engine, not by peers, so these mean the engine asked
 * for something impossible (an unknown peer, a piece in the wrong state, a bad option): a bug to surface
 * loudly, with the offending values in the message.
 */
export type PolicyErrorReason = 'bad-argument' | 'unknown-peer' | 'duplicate-peer' | 'bad-state' | 'invariant';

export class PolicyError extends Error {
  override readonly name = 'PolicyError';

  constructor(
    readonly reason: PolicyErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Throws bad-argument unless `value` is an integer in [min, max]. */
export function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PolicyError('bad-argument', `${name} ${value} is not an integer in [${min}, ${max}]`);
  }
}

/** Throws bad-argument unless `value` is a finite number >= min (or +Infinity when `infinite` allows it). */
export function checkNumber(name: string, value: number, min: number, infinite = false): void {
  const ok = (Number.isFinite(value) || (infinite && value === Infinity)) && value >= min;
  if (!ok) throw new PolicyError('bad-argument', `${name} ${value} is not a number >= ${min}`);
}
