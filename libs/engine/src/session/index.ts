export { Session } from './session';
export type { SessionDhtOptions, SessionLsdOptions, SessionOptions } from './session-options';
