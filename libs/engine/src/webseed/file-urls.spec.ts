import { type Metainfo, parseTorrent } from '@seedfleet/metainfo';
import { createTorrent } from '@seedfleet/metainfo';
import { webSeedFileUrls } from './file-urls';

async function torrentOf(name: string, paths: string[][], version: 'v1' | 'v2' | 'hybrid' = 'v1'): Promise<Metainfo> {
  const files = paths.map((path) => ({ path, length: 1000, open: async function* () { yield Buffer.alloc(1000, 1); } }));
  return parseTorrent((await createTorrent(files, { name, version, pieceLength: 16384 })).torrent);
}

describe('BEP 19 file URLs', () => {
  it('single file: the URL is the file; a URL ending in / gets the encoded name', async () => {
    const metainfo = await torrentOf('my file #1.iso', [[]]);
    expect(webSeedFileUrls('http://h.test/pub/x.iso', metainfo)).toEqual(['http://h.test/pub/x.iso']);
    expect(webSeedFileUrls('http://h.test/pub/', metainfo)).toEqual(['http://h.test/pub/my%20file%20%231.iso']);
  });

  it('multi-file: URL / name / path, every component encoded on its own, with or without a trailing slash', async () => {
    const metainfo = await torrentOf('Game 1.0', [['bin', 'a?b.exe'], ['data', '100%', 'ü é'], ['x+y=z&w;']]);
    const expected = ['http://h.test/r/Game%201.0/bin/a%3Fb.exe', 'http://h.test/r/Game%201.0/data/100%25/%C3%BC%20%C3%A9', 'http://h.test/r/Game%201.0/x%2By%3Dz%26w%3B'];
    // File order is the creator's: compare as sets of (path -> URL).
    const byPath = (urls: string[]) => new Map(metainfo.files.map((file, i) => [file.path.join('/'), urls[i]]));
    expect([...byPath(webSeedFileUrls('http://h.test/r', metainfo)).values()].sort()).toEqual([...expected].sort());
    expect([...byPath(webSeedFileUrls('http://h.test/r/', metainfo)).values()].sort()).toEqual([...expected].sort());
    expect(byPath(webSeedFileUrls('http://h.test/r', metainfo)).get('bin/a?b.exe')).toBe(expected[0]);
  });

  it('keeps a query on the base after the appended path', async () => {
    const metainfo = await torrentOf('n', [['a'], ['b']]);
    expect(webSeedFileUrls('https://h.test/root?token=x%2By', metainfo)).toEqual(['https://h.test/root/n/a?token=x%2By', 'https://h.test/root/n/b?token=x%2By']);
  });

  it('v2-only: one top-level file is single-file, more are multi-file', async () => {
    expect(webSeedFileUrls('http://h.test/f', await torrentOf('solo.bin', [[]], 'v2'))).toEqual(['http://h.test/f']);
    const multi = await torrentOf('pack', [['a'], ['b']], 'v2');
    expect(webSeedFileUrls('http://h.test/f', multi)).toEqual(['http://h.test/f/pack/a', 'http://h.test/f/pack/b']);
  });

  it('a hybrid torrent\'s pad files get URLs too (never fetched: they have no spans)', async () => {
    const metainfo = await torrentOf('h', [['a'], ['b']], 'hybrid');
    const urls = webSeedFileUrls('http://h.test/', metainfo);
    expect(urls).toHaveLength(metainfo.files.length);
    expect(urls[0]).toBe('http://h.test/h/a');
  });

  it.each(['ftp://h.test/x', 'h.test/x', ''])('refuses base %p as bad-url', async (base) => {
    const metainfo = await torrentOf('n', [['a'], ['b']]);
    expect(() => webSeedFileUrls(base, metainfo)).toThrow(expect.objectContaining({ name: 'WebSeedError', code: 'bad-url' }));
  });
});
