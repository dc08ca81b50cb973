/**
 * The one thing the tracker needs from a Redis client: send a command, get the reply with bulk strings as
 * Buffers (members are binary: peer id + compact address). Apps adapt their client (ioredis:
 * `(command, args) => redis.callBuffer(command, ...args)`), so this library imports no Redis client.
 */
export interface RedisPort {
  send(command: string, args: readonly (string | Buffer | number)[]): Promise<unknown>;
  /**
   * True when bulk strings in replies never view a socket chunk shared with other replies (RespConnection:
   * each reply has its own copy). Otherwise (ioredis) the store copies what it keeps in cached answers.
   */
  readonly ownsReplies?: boolean;
}

/** Raised when Redis answers something the scripts never return: a version or key-layout mismatch. */
export class RedisReplyError extends Error {
  override readonly name = 'RedisReplyError';
}

/** A Redis command run by a script for one request failed (the message is Redis's, e.g. "WRONGTYPE ..."). */
export class RedisScriptError extends Error {
  override readonly name = 'RedisScriptError';
}
