import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '@seedfleet/bencode';
import { parseTorrent, toMagnet } from '@seedfleet/metainfo';
import { run } from '../run';
import { captureIo } from '../test-support/capture-io';
import { commands } from './registry';

const info = {
  name: 'pack',
  'piece length': 16384,
  pieces: Buffer.alloc(40, 7),
  private: 1,
  files: [
    { length: 10000, path: ['a.bin'] },
    { length: 6384, path: ['.pad', '6384'], attr: 'p' },
    { length: 5000, path: ['sub', 'b.bin'] },
  ],
};
const torrent = encode({
  announce: 'http://t1.example/announce',
  'announce-list': [['http://t1.example/announce', 'http://t2.example/announce'], ['udp://t3.example:80']],
  'url-list': ['https://ws.example/'],
  comment: 'hello',
  'created by': 'test',
  'creation date': 1_700_000_000,
  info,
});
const infoHashV1 = createHash('sha1').update(encode(info)).digest('hex');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seedfleet-cli-info-'));
  await writeFile(join(dir, 'pack.torrent'), torrent);
  await writeFile(join(dir, 'garbage.torrent'), 'd4:infoi1e');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const io = captureIo({ cwd: dir });
  const code = await run(argv, io, commands);
  return { code, out: io.out(), err: io.err() };
}

describe('seedfleet torrent info', () => {
  it('prints exactly the documented JSON keys for a .torrent', async () => {
    const { code, out, err } = await cli('torrent', 'info', 'pack.torrent', '--json');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(out)).toEqual({
      name: 'pack',
      totalSize: 15000,
      pieceLength: 16384,
      pieceCount: 2,
      files: [
        { path: 'a.bin', size: 10000 },
        { path: 'sub/b.bin', size: 5000 },
      ],
      infoHashV1,
      infoHashV2: null,
      trackers: [['http://t1.example/announce', 'http://t2.example/announce'], ['udp://t3.example:80']],
      webSeeds: ['https://ws.example/'],
      private: true,
      magnet: toMagnet(parseTorrent(torrent)),
    });
  });

  it('prints a readable summary', async () => {
    const { code, out } = await cli('torrent', 'info', join(dir, 'pack.torrent'));
    expect(code).toBe(0);
    expect(out).toContain('Name:         pack\n');
    expect(out).toContain('Total size:   14.65 KiB (15000 bytes)\n');
    expect(out).toContain(`Info hash v1: ${infoHashV1}\n`);
    expect(out).toContain('Info hash v2: -\n');
    expect(out).toContain('Private:      yes\n');
    expect(out).toContain('Comment:      hello\n');
    expect(out).toContain('Created on:   2023-11-14T22:13:20.000Z\n');
    expect(out).toContain('Trackers:\n  tier 1: http://t1.example/announce http://t2.example/announce\n  tier 2: udp://t3.example:80\n');
    expect(out).toContain('Files (2):\n  a.bin      9.77 KiB\n  sub/b.bin  4.88 KiB\n');
    expect(out).not.toContain('.pad');
  });

  it('describes a magnet link, with null for what it cannot know', async () => {
    const magnet = `magnet:?xt=urn:btih:${infoHashV1}&dn=pack&xl=15000&tr=${encodeURIComponent('http://t1.example/announce')}&tr=${encodeURIComponent('udp://t3.example:80')}&ws=${encodeURIComponent('https://ws.example/')}`;
    const { code, out } = await cli('torrent', 'info', magnet, '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary).toEqual({
      name: 'pack',
      totalSize: 15000,
      pieceLength: null,
      pieceCount: null,
      files: null,
      infoHashV1,
      infoHashV2: null,
      trackers: [['http://t1.example/announce'], ['udp://t3.example:80']],
      webSeeds: ['https://ws.example/'],
      private: null,
      magnet: expect.stringContaining(`xt=urn:btih:${infoHashV1}`),
    });
  });

  it.each([
    [['nope.torrent'], "seedfleet: error: cannot read 'nope.torrent': no such file or directory\n"],
    [['.'], "seedfleet: error: cannot read '.': is a directory\n"],
    [['garbage.torrent'], /^seedfleet: error: 'garbage.torrent' is not a valid torrent: .+\n$/],
    [['magnet:?xt=urn:btih:xyz'], /^seedfleet: error: invalid magnet link: .+\n$/],
  ])('fails with one line and exit code 1 for %j', async (argv, message) => {
    const { code, out, err } = await cli('torrent', 'info', ...argv);
    expect({ code, out }).toEqual({ code: 1, out: '' });
    if (typeof message === 'string') expect(err).toBe(message);
    else expect(err).toMatch(message);
  });

  it('is a usage error without an argument', async () => {
    const { code, err } = await cli('torrent', 'info');
    expect(code).toBe(2);
    expect(err).toBe("seedfleet: error: missing argument <torrent>\nusage: seedfleet torrent info <torrent> [options]\n(see 'seedfleet help torrent info')\n");
  });
});
