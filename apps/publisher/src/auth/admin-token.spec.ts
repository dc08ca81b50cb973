import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { resolveAdminToken } from './admin-token';

describe('resolveAdminToken', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await createTempDir('sf-admin-token-');
  });
  afterEach(() => dir.remove());

  it('generates a token once into DATA_DIR/admin-token with mode 0600, then reads it back', () => {
    const dataDir = join(dir.path, 'var');
    const first = resolveAdminToken({ dataDir });
    expect(first).toEqual({ token: expect.stringMatching(/^sfa_[A-Za-z0-9_-]{43}$/), source: 'file', path: join(dataDir, 'admin-token'), generated: true });
    expect(statSync(first.path!).mode & 0o777).toBe(0o600);
    const second = resolveAdminToken({ dataDir });
    expect(second).toEqual({ ...first, generated: false });
  });

  it('prefers SEEDFLEET_ADMIN_TOKEN and writes nothing then', () => {
    expect(resolveAdminToken({ dataDir: dir.path, adminToken: 'from-the-environment-123' })).toEqual({ token: 'from-the-environment-123', source: 'SEEDFLEET_ADMIN_TOKEN', generated: false });
    expect(() => statSync(join(dir.path, 'admin-token'))).toThrow(/ENOENT/);
  });

  it('uses a token an operator put in the file', () => {
    writeFileSync(join(dir.path, 'admin-token'), '  operator-chosen-token-456\n');
    expect(resolveAdminToken({ dataDir: dir.path }).token).toBe('operator-chosen-token-456');
  });
});
