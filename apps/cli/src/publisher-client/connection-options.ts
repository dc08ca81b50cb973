import { value } from '../args/option-spec';
import { UsageError } from '../args/usage-error';
import type { CliIo } from '../io';
import { PublisherClient } from './publisher-client';

/** --server and --token, shared by every command that talks to a publisher. */
export const connectionOptions = {
  server: value('URL', 'publisher base URL (default: $SEEDFLEET_SERVER)', { parse: parseServerUrl }),
  token: value('TOKEN', 'admin API token (default: $SEEDFLEET_TOKEN)'),
};

export function parseServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`'${text}' is not a URL (expected e.g. https://updates.example.com)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`'${text}': expected an http or https URL`);
  if (url.search !== '' || url.hash !== '') throw new Error(`'${text}': a server URL has no query or fragment`);
  return url.toString().replace(/\/+$/, '');
}

/** A client from --server/--token or SEEDFLEET_SERVER/SEEDFLEET_TOKEN; a UsageError (exit 2) names what is missing. */
export function publisherClient(options: { server?: string; token?: string }, io: CliIo, command: string): PublisherClient {
  const fromEnv = io.env.SEEDFLEET_SERVER?.trim();
  let server = options.server;
  if (server === undefined && fromEnv) {
    try {
      server = parseServerUrl(fromEnv);
    } catch (error) {
      throw new UsageError(`SEEDFLEET_SERVER: ${(error as Error).message}`, command);
    }
  }
  if (server === undefined) throw new UsageError('no publisher given: pass --server URL or set SEEDFLEET_SERVER', command);
  const token = options.token ?? io.env.SEEDFLEET_TOKEN?.trim();
  if (!token) throw new UsageError('no admin token given: pass --token TOKEN or set SEEDFLEET_TOKEN (the publisher prints it on first start and keeps it in DATA_DIR/admin-token)', command);
  return new PublisherClient({ server, token, signal: io.signal });
}
