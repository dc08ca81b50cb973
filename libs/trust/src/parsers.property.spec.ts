import fc from 'fast-check';
import { MetadataKind } from '@tufjs/models';
import { parseReleaseTargetCustom, releaseCustom } from './release-target';
import { parseMetadata } from './repository/metadata-files';
import { assertStoreName } from './store/metadata-store';
import { TrustError } from './trust-error';

// Whatever arrives, parsers fail with TrustError only, never a TypeError from deep inside.
function onlyTrustErrors(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    return error instanceof TrustError;
  }
}

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

describe('trust parsers (properties)', () => {
  it('parseMetadata turns any bytes or JSON into metadata or invalid-metadata', () => {
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value))),
      fc.record({ signed: fc.record({ _type: fc.constantFrom('root', 'targets', 'snapshot', 'timestamp'), version: fc.anything(), expires: fc.anything(), spec_version: fc.anything(), meta: fc.anything(), targets: fc.anything(), keys: fc.anything(), roles: fc.anything() }), signatures: fc.anything() }).map((value) => Buffer.from(JSON.stringify(value))),
    );
    fc.assert(
      fc.property(inputs, fc.constantFrom(MetadataKind.Root, MetadataKind.Targets, MetadataKind.Snapshot, MetadataKind.Timestamp), (bytes, kind) =>
        onlyTrustErrors(() => parseMetadata(kind as MetadataKind.Root, bytes, 'fuzz')),
      ),
      { numRuns: 500 },
    );
  });

  it('parseReleaseTargetCustom accepts valid releases and refuses anything else with invalid-metadata', () => {
    const file = fc.record({ path: fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8}){0,3}$/), sha256: hex(64), size: fc.nat() });
    const release = fc.record({
      product: fc.string({ minLength: 1, maxLength: 20 }),
      version: fc.string({ minLength: 1, maxLength: 20 }),
      channel: fc.string({ minLength: 1, maxLength: 20 }),
      infoHashV1: hex(40),
      infoHashV2: fc.option(hex(64), { nil: null }),
      files: fc.array(file, { maxLength: 5 }),
    });
    fc.assert(fc.property(release, (value) => expect(parseReleaseTargetCustom(JSON.parse(JSON.stringify(releaseCustom(value))))).toEqual(value)));
    fc.assert(fc.property(fc.anything(), (value) => onlyTrustErrors(() => parseReleaseTargetCustom(value))), { numRuns: 500 });
  });

  it('assertStoreName never accepts a name that could leave its directory', () => {
    const name = fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.constantFrom('a', '.', '..', '', '/', '\\', 'b.json', '~', '\0'), { maxLength: 8 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(name, (candidate) => {
        let accepted = true;
        if (!onlyTrustErrors(() => assertStoreName(candidate))) return false;
        try {
          assertStoreName(candidate);
        } catch {
          accepted = false;
        }
        const segments = candidate.split('/');
        return !accepted || (!candidate.startsWith('/') && !candidate.includes('\\') && !candidate.includes('\0') && segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !segment.startsWith('.')));
      }),
      { numRuns: 1000 },
    );
  });
});
