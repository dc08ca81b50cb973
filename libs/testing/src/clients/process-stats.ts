import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

export interface ProcessStats {
  /** utime + stime of the process, plus its reaped children's (cutime + cstime) and, when asked, its live descendants'. */
  readonly cpuSeconds: number;
  /** VmRSS now. */
  readonly rssBytes: number;
  /** VmHWM: the kernel's own high-water mark of the resident set (includes mapped file pages). */
  readonly peakRssBytes: number;
  /** RssAnon now: heap and stacks, without page cache mapped from files (mmap disk I/O inflates VmRSS). */
  readonly anonRssBytes: number;
  /** rchar / wchar of /proc/PID/io: bytes through read()/write()-family calls (sockets too, but not send/recvmsg). */
  readonly readBytes: number;
  readonly writtenBytes: number;
}

let clockTicks: number | undefined;

/** USER_HZ, the unit of /proc/PID/stat times (100 on every common Linux, but asked once, not assumed). */
function ticksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clockTicks;
}

/** CPU ticks from /proc/PID/stat; the command name may hold spaces and ')' so fields are counted after the last ')'. */
async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14-17.
  return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
}

function statusKiB(status: string, key: string): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

function ioCounter(io: string, key: string): number {
  const match = new RegExp(`^${key}: (\\d+)`, 'm').exec(io);
  return match ? Number(match[1]) : 0;
}

async function childPids(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`);
  const children: number[] = [];
  for (const task of tasks) {
    const text = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    children.push(...text.split(' ').filter(Boolean).map(Number));
  }
  return children;
}

/** Every live descendant's CPU ticks (a child that exits between listing and reading counts zero). */
async function descendantTicks(pid: number): Promise<number> {
  let total = 0;
  for (const child of await childPids(pid).catch(() => [])) {
    total += (await cpuTicks(child).catch(() => 0)) + (await descendantTicks(child));
  }
  return total;
}

/** One reading of a live process from /proc; throws (ENOENT) once it has exited. */
export async function readProcessStats(pid: number, options: { includeChildren?: boolean } = {}): Promise<ProcessStats> {
  const [ticks, status, io] = await Promise.all([cpuTicks(pid), readFile(`/proc/${pid}/status`, 'utf8'), readFile(`/proc/${pid}/io`, 'utf8')]);
  const children = options.includeChildren ? await descendantTicks(pid) : 0;
  return {
    cpuSeconds: (ticks + children) / ticksPerSecond(),
    rssBytes: statusKiB(status, 'VmRSS') * 1024,
    peakRssBytes: statusKiB(status, 'VmHWM') * 1024,
    anonRssBytes: statusKiB(status, 'RssAnon') * 1024,
    readBytes: ioCounter(io, 'rchar'),
    writtenBytes: ioCounter(io, 'wchar'),
  };
}

export interface SampledStats extends ProcessStats {
  /** Highest RssAnon seen by the periodic samples (the kernel keeps no high-water mark for it). */
  readonly peakAnonRssBytes: number;
}

/**
 * Samples a process every `intervalMs` so the peak anonymous RSS is known, and gives a final reading on
 * demand. Read before stopping the process: /proc forgets it once it exits.
 */
export class ProcessStatsSampler {
  private peakAnon = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly pid: number,
    private readonly options: { intervalMs?: number; includeChildren?: boolean } = {},
  ) {}

  start(): this {
    this.timer ??= setInterval(() => void this.read().catch(() => undefined), this.options.intervalMs ?? 100);
    this.timer.unref();
    return this;
  }

  async read(): Promise<SampledStats> {
    const stats = await readProcessStats(this.pid, { includeChildren: this.options.includeChildren });
    this.peakAnon = Math.max(this.peakAnon, stats.anonRssBytes);
    return { ...stats, peakAnonRssBytes: this.peakAnon };
  }

  /** A last reading, then no more samples. */
  async stop(): Promise<SampledStats> {
    clearInterval(this.timer);
    this.timer = undefined;
    return this.read();
  }
}
