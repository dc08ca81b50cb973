export { Session } from './session';
export type { SessionOptions } from './session-options';
