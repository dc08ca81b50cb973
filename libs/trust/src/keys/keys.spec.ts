import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ed25519Signer, generateEd25519Signer, loadSignerFromEnv, loadSignerFromFile } from './signer';
import { fromModelKey, toModelKey, tufPublicKeyFromHex, tufPublicKeyFromPem } from './tuf-key';

describe('ed25519 keys', () => {
  it('computes the key id as SHA-256 of the canonical JSON key object', () => {
    const key = tufPublicKeyFromHex('ab'.repeat(32));
    const canonical = `{"keytype":"ed25519","keyval":{"public":"${'ab'.repeat(32)}"},"scheme":"ed25519"}`;
    expect(key.keyId).toBe(createHash('sha256').update(canonical).digest('hex'));
    expect(fromModelKey(toModelKey(key))).toEqual(key);
  });

  it('signs so that node:crypto verifies with the public key from the PEM, and round-trips through PEM', async () => {
    const signer = generateEd25519Signer();
    const payload = Buffer.from('{"signed":true}');
    const signature = await signer.sign(payload);
    const publicPem = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(signer.publicKey.publicHex, 'hex')]);
    expect(verify(null, payload, { key: publicPem, format: 'der', type: 'spki' }, signature)).toBe(true);
    expect(Ed25519Signer.fromPem(signer.toPem()).publicKey).toEqual(signer.publicKey);
    expect(tufPublicKeyFromPem(signer.toPem())).toEqual(signer.publicKey);
  });

  it('loads signers from a PEM file and from a base64 PEM environment variable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seedfleet-keys-'));
    try {
      const signer = generateEd25519Signer();
      await writeFile(join(dir, 'k.pem'), signer.toPem());
      expect((await loadSignerFromFile(join(dir, 'k.pem'))).publicKey).toEqual(signer.publicKey);
      await expect(loadSignerFromFile(join(dir, 'missing.pem'))).rejects.toMatchObject({ code: 'io' });
      await writeFile(join(dir, 'bad.pem'), 'not a key');
      await chmod(join(dir, 'bad.pem'), 0o600);
      await expect(loadSignerFromFile(join(dir, 'bad.pem'))).rejects.toMatchObject({ code: 'bad-key', message: expect.stringContaining('bad.pem') });
      const env = { TUF_KEY: Buffer.from(signer.toPem()).toString('base64'), EMPTY: '', JUNK: '%%%' };
      expect(loadSignerFromEnv(env, 'TUF_KEY')?.publicKey).toEqual(signer.publicKey);
      expect(loadSignerFromEnv(env, 'EMPTY')).toBeUndefined();
      expect(loadSignerFromEnv(env, 'UNSET')).toBeUndefined();
      expect(() => loadSignerFromEnv(env, 'JUNK')).toThrow(expect.objectContaining({ code: 'bad-key' }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses keys that are not ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => Ed25519Signer.fromPem(rsa)).toThrow(expect.objectContaining({ code: 'bad-key', message: expect.stringContaining('rsa') }));
    expect(() => tufPublicKeyFromHex('XYZ')).toThrow(expect.objectContaining({ code: 'bad-key' }));
    expect(() => fromModelKey(toModelKey({ ...tufPublicKeyFromHex('ab'.repeat(32)), keyId: 'f'.repeat(64) }))).toThrow(expect.objectContaining({ code: 'bad-key' }));
  });
});
