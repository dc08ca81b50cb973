/**
 * Reads typed values from an environment map, collecting every problem instead of stopping at the first,
 * so an operator fixes a broken deployment in one round trip.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Record<string, string | undefined>) {}

  string(name: string, fallback: string): string {
    const value = this.env[name]?.trim();
    return value ? value : fallback;
  }

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  port(name: string, fallback: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      this.problems.push(`${name}: expected a TCP port (0-65535), got "${raw}"`);
      return fallback;
    }
    return value;
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (!protocols.includes(url.protocol)) {
        this.problems.push(`${name}: expected a ${protocols.join(' or ')} URL, got "${raw}"`);
        return undefined;
      }
      return raw.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name}: not a valid URL: "${raw}"`);
      return undefined;
    }
  }

  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!(choices as readonly string[]).includes(raw)) {
      this.problems.push(`${name}: expected ${choices.join(' or ')}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name}: expected true or false, got "${this.env[name]?.trim()}"`);
    return fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= min && value <= max)) {
      this.problems.push(`${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  /** A byte count: a plain integer or one with a binary suffix (`512KiB`, `2GiB`, `1TiB`; K, M, G, T alone too). */
  bytes(name: string, fallback: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const match = /^(\d{1,15})\s*([KMGT]?)(?:iB|B)?$/i.exec(raw);
    const value = match ? Number(match[1]) * 1024 ** ' KMGT'.indexOf((match[2] || ' ').toUpperCase()) : NaN;
    if (!Number.isSafeInteger(value) || value <= 0) {
      this.problems.push(`${name}: expected a positive byte count like 1048576 or 10GiB, got "${raw}"`);
      return fallback;
    }
    return value;
  }
}
