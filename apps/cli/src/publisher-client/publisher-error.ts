import { CliError } from '../cli-error';

/** The publisher answered with an error status; `message` is the server's own (its JSON `message`). */
export class PublisherHttpError extends CliError {
  constructor(
    readonly status: number,
    readonly serverMessage: string,
    readonly url: string,
  ) {
    super(`${serverMessage} (HTTP ${status} from ${url})`);
  }
}

/** No HTTP answer at all: connection refused, unknown host, TLS failure, timeout. */
export class PublisherUnreachableError extends CliError {}

const networkReasons: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (is the publisher running there?)',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  EPIPE: 'the connection was closed while sending',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server presented a self-signed TLS certificate',
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
};

export function unreachable(server: string, error: unknown): PublisherUnreachableError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code !== undefined && Object.hasOwn(networkReasons, code) ? networkReasons[code] : (error as Error)?.message || String(error);
  return new PublisherUnreachableError(`cannot reach the publisher at ${server}: ${reason} (set --server or SEEDFLEET_SERVER)`, { cause: error });
}
