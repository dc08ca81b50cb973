import { ConsoleLogger } from '@nestjs/common';

/**
 * Nest's logger without its per-module and per-route start-up lines, which bury the publisher's own
 * summary; warnings and errors of every context still show.
 */
export class StartupLogger extends ConsoleLogger {
  private static readonly quiet = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

  constructor() {
    super({ logLevels: ['log', 'warn', 'error', 'fatal'] });
  }

  override log(message: unknown, context?: string): void {
    if (context !== undefined && StartupLogger.quiet.has(context)) return;
    super.log(message, context);
  }
}
