import { cpus, loadavg, release } from 'node:os';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { builtCheckout, CLI_ENTRY } from '../lib/checkout';
import { measureProcess } from '../lib/measure-process';
import { gitCommit } from '../lib/git-commit';
import { repoRoot } from '../lib/repo-root';
import { CREATE_BENCH_USAGE, parseCreateBenchArgs } from './create-args';
import { createDatasets, totalBytes, type Dataset } from './datasets';
import { checkHashes, type HashCheck } from './hash-check';
import { bestRates, hashFloorSeconds, measureHashRates } from './hash-floor';
import { chooseDataStore, prepareDataset, warmCache } from './prepare-data';
import { renderMarkdown, summarize, type ToolRuns } from './report';
import { createTools, type CreateTool } from './tools';

const runTimeoutMs = 30 * 60 * 1000;

function outputPath(outputRoot: string, dataset: Dataset, tool: CreateTool): string {
  return join(outputRoot, `${dataset.id}.${tool.version}.${tool.name.replace(/[^a-z0-9]+/gi, '-')}.torrent`);
}

/**
 * The tools of one repetition: grouped by version, so ours and its references run one right after the
 * other (load on the shared machine comes and goes within minutes), with the groups and the order inside
 * each rotating every repetition, so no tool always runs first or after the same neighbour.
 */
function runOrder(tools: readonly CreateTool[], rep: number): CreateTool[] {
  const versions = [...new Set(tools.map((tool) => tool.version))];
  return rotated(versions, rep).flatMap((version) => rotated(tools.filter((tool) => tool.version === version), rep));
}

function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

async function main(): Promise<void> {
  const args = parseCreateBenchArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(CREATE_BENCH_USAGE);
    return;
  }
  const root = repoRoot();
  const datasets = createDatasets(args.quick).filter((dataset) => args.datasets === undefined || args.datasets.includes(dataset.id));
  const unknown = (args.datasets ?? []).filter((id) => !datasets.some((dataset) => dataset.id === id));
  if (unknown.length > 0 || datasets.length === 0) throw new Error(`unknown dataset(s) ${unknown.join(', ')}\n${CREATE_BENCH_USAGE}`);
  const store = await chooseDataStore(args.dataDir, join(root, 'bench', '.data'), args.quick ? 'create-quick' : 'create', datasets);
  const { dataRoot } = store;
  const outputRoot = join(root, 'bench', '.data', 'create-output');
  await mkdir(outputRoot, { recursive: true });
  // Gigabytes of generated data: a self-ignoring .gitignore keeps `git add bench` from picking it up.
  await writeFile(join(root, 'bench', '.data', '.gitignore'), '*\n');
  const ours = builtCheckout(root, [CLI_ENTRY], ['libs', 'apps', 'bin']);
  if (ours.unavailable) throw new Error(`this checkout: ${ours.unavailable}`);
  const baseline = args.baseline === undefined ? undefined : builtCheckout(args.baseline, [CLI_ENTRY], ['libs', 'apps', 'bin']);
  if (baseline?.unavailable) throw new Error(`--baseline: ${baseline.unavailable}`);
  const tools = createTools(ours, baseline).filter((tool) => args.versions === undefined || args.versions.includes(tool.version));
  const toolEnv = { ...process.env };
  if (!args.keepExtraCaCerts) delete toolEnv.NODE_EXTRA_CA_CERTS;
  const runs = new Map<string, ToolRuns>();
  const threads = cpus().length;
  process.stderr.write(`measuring SHA-1 and SHA-256 on ${threads} threads ...\n`);
  const ratesBefore = await measureHashRates(threads);
  // Other work on the machine skews a run; the 1-minute load average before each one says how much.
  const loads: number[] = [];
  const paths = new Map<string, string>();
  for (const dataset of datasets) {
    process.stderr.write(`preparing ${dataset.id} (${dataset.description}) under ${dataRoot} ...\n`);
    paths.set(dataset.id, await prepareDataset(dataRoot, dataset));
    for (const tool of tools) {
      runs.set(`${dataset.id}|${tool.name}|${tool.version}`, { dataset: dataset.id, datasetBytes: totalBytes(dataset), tool: tool.name, version: tool.version, ours: tool.ours, samples: [] });
    }
  }
  for (let rep = 0; rep < args.reps; rep++) {
    for (const dataset of datasets) {
      for (const tool of runOrder(tools, rep)) {
        const output = outputPath(outputRoot, dataset, tool);
        await rm(output, { force: true });
        const { command, args: toolArgs } = tool.invocation({ contentPath: paths.get(dataset.id)!, output, pieceLength: dataset.pieceLength });
        // On disk: the host evicts cached pages (a 4 GiB file read minutes ago was 1 % cached), so every
        // run starts from a dataset read just before it rather than from whatever the previous runs left.
        if (!store.inMemory) await warmCache(paths.get(dataset.id)!, dataset);
        loads.push(loadavg()[0]);
        const sample = await measureProcess(command, toolArgs, runTimeoutMs, toolEnv);
        runs.get(`${dataset.id}|${tool.name}|${tool.version}`)!.samples.push(sample);
        process.stderr.write(`rep ${rep + 1}/${args.reps} ${dataset.id} ${tool.version} ${tool.name}: ${sample.wallSeconds.toFixed(2)} s\n`);
      }
    }
  }
  const rates = bestRates(ratesBefore, await measureHashRates(threads));
  const floors = datasets.flatMap((dataset) => [...new Set(tools.map((tool) => tool.version))].map((version) => ({ dataset: dataset.id, version, seconds: hashFloorSeconds(dataset, version, rates) })));
  const hashChecks: HashCheck[] = [];
  for (const dataset of datasets) {
    for (const ours of tools.filter((tool) => tool.ours)) {
      for (const reference of tools.filter((tool) => !tool.ours && tool.comparableHashes && tool.version === ours.version)) {
        hashChecks.push(await checkHashes(dataset.id, ours.version, reference.name, outputPath(outputRoot, dataset, ours), outputPath(outputRoot, dataset, reference)));
      }
    }
  }
  const report = {
    environment: {
      date: new Date().toISOString(),
      mode: args.quick ? 'quick (small sizes, not a result)' : 'full S5',
      repetitions: args.reps,
      cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
      node: process.version,
      kernel: release(),
      // Node reads this file at start-up in every process, before any of our code runs (60-100 ms here).
      NODE_EXTRA_CA_CERTS:
        toolEnv.NODE_EXTRA_CA_CERTS === undefined
          ? `not set for the tools${process.env.NODE_EXTRA_CA_CERTS === undefined ? '' : ` (this machine sets it to ${process.env.NODE_EXTRA_CA_CERTS} for its package proxy; no tool makes a TLS connection, and a Node process would parse it at start-up; --keep-node-extra-ca-certs keeps it)`}`
          : `set (${toolEnv.NODE_EXTRA_CA_CERTS}): every Node process, ours included, parses it at start-up`,
      load: loadSummary(loads),
      'hash rates': `${rates.threads} threads together, the better of a measurement before and after the runs: SHA-1 ${rates.sha1.toFixed(2)} GB/s (before ${ratesBefore.sha1.toFixed(2)}), SHA-256 ${rates.sha256.toFixed(2)} GB/s (before ${ratesBefore.sha256.toFixed(2)})`,
      data: store.inMemory
        ? `in RAM: the datasets are on a tmpfs (${dataRoot}), so every read is a copy from memory, as from a warm page cache, and no run waits for the disk`
        : `on disk (${dataRoot}), warm: page cache cannot be dropped without root, and the host evicts it, so the whole dataset is read just before every run`,
      method: 'each tool (ours through the CLI, with the node flags of bin/seedfleet.js) is one child process under /usr/bin/time; ours and its references run back to back, the order rotating each repetition; same piece length for all tools',
      commit: gitCommit(root, ['libs', 'apps', 'bench', 'bin']),
      ...(baseline === undefined ? {} : { baseline: `seedfleet base = ${baseline.root} at ${baseline.commit}` }),
      datasets: datasets.map((dataset) => `${dataset.id} = ${dataset.description}, ${(totalBytes(dataset) / 1e9).toFixed(2)} GB, piece ${dataset.pieceLength / 1024} KiB`).join('; '),
    },
    summaries: [...runs.values()].map(summarize),
    floors,
    hashChecks,
  };
  const markdown = renderMarkdown(report);
  // Quick runs check the script, they are not results: keep them out of the committed bench/results.
  const resultsDir = args.quick ? join(root, 'bench', '.data', 'results') : join(root, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, 'create.md'), markdown);
  await writeFile(join(resultsDir, 'create.json'), `${JSON.stringify({ ...report, runs: [...runs.values()] }, null, 2)}\n`);
  process.stdout.write(markdown);
  if (store.inMemory && !args.keepData && args.dataDir === undefined) {
    await rm(dataRoot, { recursive: true, force: true });
    process.stderr.write(`removed the datasets from ${dataRoot} (pass --keep-data to reuse them next run)\n`);
  }
}

function loadSummary(loads: readonly number[]): string {
  const sorted = [...loads].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `1-minute load average before each run: median ${median.toFixed(1)}, ${(sorted[0] ?? 0).toFixed(1)}-${(sorted.at(-1) ?? 0).toFixed(1)} on ${cpus().length} CPUs`;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:create failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
