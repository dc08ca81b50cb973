import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempDir, listTestNamespaces, type TempDir } from '@seedfleet/testing';
import type { SwarmRunResult } from '../../bench/swarm/swarm-run';

// bench:swarm --quick as a test: 4 seedfleet agents behind shaped links in network namespaces fetch 32 MiB
// from an origin (peer + web seed) through a tracker. Runs the compiled bench (npm run build first, as
// test:interop does) in its own process, so its namespace clean-up handlers are its own.

const root = join(__dirname, '..', '..');
const bench = join(root, 'dist', 'bench', 'swarm', 'run.js');

function canUseNamespaces(): boolean {
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
}

const describeSwarm = canUseNamespaces() ? describe : describe.skip;

describeSwarm('bench:swarm --quick (S1, N = 4, 32 MiB, shaped namespaces)', () => {
  let out: TempDir;

  beforeAll(async () => {
    out = await createTempDir('seedfleet-swarm-quick-');
  });

  afterAll(async () => {
    await out.remove();
  });

  it('every agent completes with the source bytes, the origin sends under 2·F, and no namespace is left', async () => {
    if (!existsSync(bench)) throw new Error(`${bench} is missing: run \`npm run build\` first`);
    const before = new Set(await listTestNamespaces());
    const child = spawn(process.execPath, [bench, '--quick', '--kinds', 'ours-egress', '--out', out.path], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`bench:swarm --quick exited with ${code}: ${stderr}`);

    const left = (await listTestNamespaces()).filter((name) => !before.has(name));
    expect(left).toEqual([]);

    const { results } = JSON.parse(await readFile(join(out.path, 'swarm.json'), 'utf8')) as { results: SwarmRunResult[] };
    expect(results).toHaveLength(1);
    const [run] = results;
    expect(run.failures).toEqual([]);
    expect(run.agents).toHaveLength(4);
    for (const agent of run.agents) expect(agent).toMatchObject({ sha256Ok: true });
    expect(run.tAllSeconds).toBeGreaterThan(0);
    expect(run.originBytes).toBeGreaterThanOrEqual(run.fileBytes * 0.99);
    // The origin-bytes-first set-up (super-seeding origin peer next to the web seed). A plain origin sends
    // ~2.4·F at N = 4, as a time-optimal schedule must (bench/swarm/README.md, findings).
    expect(run.originBytes).toBeLessThan(2 * run.fileBytes);
  }, 180_000);
});
