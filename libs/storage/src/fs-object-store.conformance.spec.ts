import { createTempDir } from '@seedfleet/testing';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FS_INCOMING_DIR, FsObjectStore } from './fs-object-store';
import { describeObjectStore } from './testing/object-store-conformance';

describeObjectStore('FsObjectStore', async () => {
  const dir = await createTempDir('seedfleet-fs-store-');
  const root = join(dir.path, 'objects');
  return {
    store: new FsObjectStore({ root }),
    leftovers: async () => (await readdir(join(root, FS_INCOMING_DIR)).catch(() => [] as string[])).sort(),
    presigns: false,
    multipartBytes: 3 * 1024 * 1024 + 17,
    cleanup: () => dir.remove(),
  };
});
