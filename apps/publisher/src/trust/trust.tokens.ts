/** Injection token for the validated TrustConfig. */
export const TRUST_CONFIG = Symbol('TRUST_CONFIG');
/** The environment the TUF keys come from (TUF_<ROLE>_KEY). */
export const TRUST_ENV = Symbol('TRUST_ENV');
