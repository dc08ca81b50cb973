/**
 * FileStore write/read throughput and recheck speed for a 1 GiB hybrid torrent in the page cache, with
 * libtorrent's recheck of the same files in the same run as the reference (QUALITY.md S6 style: alternate,
 * repeat, median (min-max), ratio). Scratch benchmark of the storage layer; run after `npm run build`:
 *   node dist/libs/engine/src/storage/bench/storage-throughput.js [reps]
 * Environment: PIECE (bytes, default 1 MiB), WORKERS (hash threads, default 2).
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { HashPool } from '@seedfleet/hashing';
import { createTorrentFromPath, type Metainfo, parseTorrent, pieceRange } from '@seedfleet/metainfo';
import { createTempDir, systemPython, writeFileTree } from '@seedfleet/testing';
import { FileStore } from '../file-store';
import { recheck } from '../load-verified';
import { PieceVerifier } from '../piece-verifier';

const MiB = 1 << 20;
const BLOCK = 16384;

// libtorrent adds the torrent without resume data, so it checks every piece before it can seed. Polled every
// 10 ms: waiting for alerts instead added up to seconds (state alerts are not in the default alert mask).
const libtorrentRecheck = `
import json, sys, time
import libtorrent as lt
a = json.loads(sys.argv[1])
ses = lt.session({'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
                  'listen_interfaces': '127.0.0.1:0', 'hashing_threads': a['threads']})
p = lt.add_torrent_params(); p.ti = lt.torrent_info(a['torrent']); p.save_path = a['savePath']
start = time.monotonic(); h = ses.add_torrent(p)
while h.status().state in (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data): time.sleep(0.01)
print(json.dumps({'seconds': time.monotonic() - start, 'pieces': h.status().num_pieces}))
`;

interface Round {
  write: number;
  writeFlush: number;
  readPiece: number;
  readBlock: number;
  recheck: number;
  recheckLagP99: number;
  recheckGcs: number;
  libtorrent: number;
}

async function run(body: (i: number) => Promise<unknown>, count: number, parallel: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) await body(next++);
  }));
  return (performance.now() - started) / 1000;
}

async function round(metainfo: Metainfo, torrentPath: string, pieces: Buffer[], target: string, pool: HashPool): Promise<Round> {
  const mib = metainfo.totalSize / MiB;
  const store = new FileStore({ metainfo, directory: target });
  await store.open();
  const writeStart = performance.now();
  const write = mib / (await run((i) => store.writePiece(i, pieces[i]), pieces.length, 8));
  await store.flush();
  const writeFlush = mib / ((performance.now() - writeStart) / 1000);
  const readPiece = mib / (await run((i) => store.readPiece(i), pieces.length, 8));
  const blocks = pieces.flatMap((piece, index) => Array.from({ length: Math.ceil(piece.length / BLOCK) }, (_, b) => [index, b * BLOCK, Math.min(BLOCK, piece.length - b * BLOCK)]));
  const readBlock = mib / (await run((k) => store.readBlock(blocks[k][0], blocks[k][1], blocks[k][2]), blocks.length, 32));

  let gcs = 0;
  const observer = new PerformanceObserver((list) => (gcs += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const checkStart = performance.now();
  const checked = await recheck({ metainfo, store, verifier: new PieceVerifier(metainfo, pool) });
  const recheckRate = mib / ((performance.now() - checkStart) / 1000);
  lag.disable();
  observer.disconnect();
  if (!checked.have.isFull) throw new Error(`recheck found ${checked.have.count} of ${metainfo.pieceCount} pieces`);
  await store.close();

  const reference = JSON.parse(execFileSync(systemPython, ['-c', libtorrentRecheck, JSON.stringify({ torrent: torrentPath, savePath: target, threads: pool.size })]).toString());
  if (reference.pieces !== metainfo.pieceCount) throw new Error(`libtorrent found ${reference.pieces} of ${metainfo.pieceCount} pieces`);
  await rm(target, { recursive: true });
  return { write, writeFlush, readPiece, readBlock, recheck: recheckRate, recheckLagP99: lag.percentile(99) / 1e6, recheckGcs: gcs, libtorrent: mib / reference.seconds };
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[sorted.length >> 1].toFixed(0)} (${sorted[0].toFixed(0)}-${sorted[sorted.length - 1].toFixed(0)})`;
}

async function main(): Promise<void> {
  const reps = Number(process.argv[2] ?? 3);
  const pool = new HashPool({ size: Number(process.env.WORKERS ?? 2) });
  const dir = await createTempDir('seedfleet-storage-bench-');
  try {
    await writeFileTree(dir.path, [0, 1, 2, 3].map((i) => ({ path: `game/part${i}.pak`, size: 256 * MiB - 12345 * i })));
    const created = await createTorrentFromPath(join(dir.path, 'game'), { pool, version: 'hybrid', pieceLength: Number(process.env.PIECE ?? MiB) });
    const torrentPath = join(dir.path, 'game.torrent');
    await writeFile(torrentPath, created.torrent);
    const metainfo = parseTorrent(created.torrent);
    const space = Buffer.alloc(metainfo.pieceCount * metainfo.pieceLength);
    for (const file of metainfo.files) if (!file.pad) (await readFile(join(dir.path, 'game', ...file.path))).copy(space, file.offset);
    const pieces = Array.from({ length: metainfo.pieceCount }, (_, i) => space.subarray(pieceRange(metainfo, i).start, pieceRange(metainfo, i).end));
    const rounds: Round[] = [];
    for (let rep = 0; rep < reps; rep++) rounds.push(await round(metainfo, torrentPath, pieces, join(dir.path, `download-${rep}`), pool));
    const column = (key: keyof Round) => summary(rounds.map((r) => r[key]));
    const median = (key: keyof Round) => [...rounds.map((r) => r[key])].sort((a, b) => a - b)[rounds.length >> 1];
    console.log(`${metainfo.version}, ${metainfo.pieceCount} pieces of ${metainfo.pieceLength / 1024} KiB, ${(metainfo.totalSize / MiB).toFixed(0)} MiB in ${metainfo.files.length} files (pads included), ${pool.size} hash workers, ${reps} rounds\n`);
    console.log('| measure | MiB/s, median (min-max) |\n|---|---|');
    console.log(`| writePiece, 8 in flight (page cache) | ${column('write')} |`);
    console.log(`| writePiece + flush (fsync) | ${column('writeFlush')} |`);
    console.log(`| readPiece, 8 in flight | ${column('readPiece')} |`);
    console.log(`| readBlock 16 KiB, 32 in flight | ${column('readBlock')} |`);
    console.log(`| recheck (ours) | ${column('recheck')} |`);
    console.log(`| recheck (libtorrent 2.0, hashing_threads=${pool.size}, same files) | ${column('libtorrent')} |`);
    console.log(`| recheck ratio ours / libtorrent (medians) | ${(median('recheck') / median('libtorrent')).toFixed(2)} |`);
    console.log(`| recheck event-loop lag p99, ms | ${column('recheckLagP99')} |`);
    console.log(`| GCs during recheck | ${column('recheckGcs')} |`);
  } finally {
    await dir.remove();
    await pool.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
