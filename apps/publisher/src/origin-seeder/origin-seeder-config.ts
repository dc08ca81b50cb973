import { ConfigError } from '../config/config-error';
import { EnvReader } from '../config/env-reader';

export interface OriginSeederConfig {
  /** ORIGIN_SEEDER (default on). */
  readonly enabled: boolean;
  /** ORIGIN_SEEDER_PORT: the BitTorrent listen port (default 6881; 0 = any free port). */
  readonly port: number;
  /** ORIGIN_SEEDER_HOST: listen address (default '::', dual stack). */
  readonly host: string;
  /** ORIGIN_SEEDER_POLL_SECONDS: how often release records are rescanned for new and retired releases (default 10). */
  readonly pollSeconds: number;
  /** ORIGIN_SEEDER_MAX_READS: ranged storage reads in flight across all torrents (default 16). */
  readonly maxReads: number;
  /**
   * ORIGIN_SEEDER_SUPER_SEED: BEP 16 super-seeding (default off). Next to the release's web seed it saves
   * nothing: agents fetch the pieces it hides from the web seed, so the two overlap (bench S1, 256 MiB:
   * origin 1.16·F at N = 4 and 1.69·F at N = 8, η 0.54 / 0.65, where plain seeding gives η 0.87 / 0.87 and
   * the web seed alone, ORIGIN_SEEDER=off, 1.05·F at N = 16).
   */
  readonly superSeed: boolean;
}

/** ORIGIN_SEEDER_* variables (README configuration table), validated once at boot. */
export function loadOriginSeederConfig(env: Record<string, string | undefined> = process.env): OriginSeederConfig {
  const read = new EnvReader(env);
  const config: OriginSeederConfig = {
    enabled: read.boolean('ORIGIN_SEEDER', true),
    port: read.port('ORIGIN_SEEDER_PORT', 6881),
    host: read.string('ORIGIN_SEEDER_HOST', '::'),
    pollSeconds: read.integer('ORIGIN_SEEDER_POLL_SECONDS', 10, 1, 3600),
    maxReads: read.integer('ORIGIN_SEEDER_MAX_READS', 16, 1, 1024),
    superSeed: read.boolean('ORIGIN_SEEDER_SUPER_SEED', false),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
