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
}
