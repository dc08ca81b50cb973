import { parseReleaseTargetCustom, releaseCustom, type ReleaseTargetCustom } from './release-target';

const release: ReleaseTargetCustom = {
  product: 'app',
  version: '2.0.0',
  channel: 'beta',
  infoHashV1: '0'.repeat(40),
  infoHashV2: '1'.repeat(64),
  files: [
    { path: 'bin/app', sha256: '2'.repeat(64), size: 10 },
    { path: 'share/empty', sha256: '3'.repeat(64), size: 0 },
  ],
};

describe('ReleaseTargetCustom', () => {
  it('round-trips through the plain JSON form', () => {
    expect(parseReleaseTargetCustom(JSON.parse(JSON.stringify(releaseCustom(release))))).toEqual(release);
  });

  it.each([
    ['not an object', []],
    ['a missing product', { ...release, product: undefined }],
    ['both info hashes null', { ...release, infoHashV1: null, infoHashV2: null }],
    ['an upper-case info hash', { ...release, infoHashV1: 'A'.repeat(40) }],
    ['a v2 hash of v1 length', { ...release, infoHashV2: '1'.repeat(40) }],
    ['files not an array', { ...release, files: {} }],
    ['a path escaping the release', { ...release, files: [{ path: '../etc/passwd', sha256: '2'.repeat(64), size: 1 }] }],
    ['an absolute path', { ...release, files: [{ path: '/bin/sh', sha256: '2'.repeat(64), size: 1 }] }],
    ['a negative size', { ...release, files: [{ path: 'a', sha256: '2'.repeat(64), size: -1 }] }],
    ['a fractional size', { ...release, files: [{ path: 'a', sha256: '2'.repeat(64), size: 1.5 }] }],
    ['a short sha256', { ...release, files: [{ path: 'a', sha256: '2', size: 1 }] }],
    ['a null file', { ...release, files: [null] }],
  ])('refuses %s with invalid-metadata', (_case, custom) => {
    expect(() => parseReleaseTargetCustom(custom, 'releases/app.torrent')).toThrow(expect.objectContaining({ code: 'invalid-metadata', message: expect.stringMatching(/^releases\/app.torrent: custom/) }));
  });
});
