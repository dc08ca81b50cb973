import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { ManagedProcess } from './managed-process';
import type { PeerScriptCommand, PeerScriptEvent } from './peer-script-protocol';
import type { PeerAddress, PeerProgress, ReferencePeer } from './peer-types';

export class PeerProcessError extends Error {
  override readonly name = 'PeerProcessError';
}

const defaultReadyTimeoutMs = 120_000;

/**
 * A peer process speaking the JSON-line protocol of peer-script-protocol.ts (libtorrent's lt_peer.py,
 * our bench/wire/our-peer.js). Readiness and completion come from its own lines, never from sleeps.
 */
export class ScriptedPeer implements ReferencePeer {
  readonly dialsLoopbackPeers = true;
  readonly port: number;
  readonly infoHash: string;
  /** performance.now() when the complete line arrived. */
  completedAt: number | undefined;
  private latest: PeerProgress | undefined;
  private failure: Error | undefined;
  private readonly events = new EventEmitter();

  private constructor(
    readonly client: string,
    private readonly process: ManagedProcess,
    ready: Extract<PeerScriptEvent, { event: 'ready' }>,
  ) {
    this.port = ready.port;
    this.infoHash = ready.infoHash;
  }

  get pid(): number {
    return this.process.pid;
  }

  static async start(client: string, invocation: { command: string; args: readonly string[] }, readyTimeoutMs = defaultReadyTimeoutMs): Promise<ScriptedPeer> {
    const child = await ManagedProcess.start(client, invocation.command, invocation.args);
    const lines = createInterface({ input: child.child.stdout });
    const early: PeerScriptEvent[] = [];
    let peer: ScriptedPeer | undefined;
    const ready = new Promise<Extract<PeerScriptEvent, { event: 'ready' }>>((resolve, reject) => {
      lines.on('line', (line) => {
        const event = parseEvent(line);
        if (!event) return;
        if (peer) peer.handle(event);
        else if (event.event === 'ready') resolve(event);
        else if (event.event === 'error') reject(new PeerProcessError(`${client} failed to start: ${event.message}`));
        else early.push(event);
      });
      void child.exited.then(() => reject(new PeerProcessError(`${client} exited before it was ready: ${child.describeExit()}`)));
    });
    // Swallow the exit rejection that follows a successful start; exits after that are handled per call.
    ready.catch(() => undefined);
    const timer = setTimeout(() => child.signal('SIGKILL'), readyTimeoutMs);
    try {
      peer = new ScriptedPeer(client, child, await ready);
    } catch (error) {
      await child.stop();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    for (const event of early) peer.handle(event);
    void child.exited.then(() => peer.handle({ event: 'error', message: `exited: ${child.describeExit()}` }));
    return peer;
  }

  /** Asks the peer to connect to another one (used once both sides are ready, so the transfer starts on cue). */
  connect(address: PeerAddress): void {
    this.send({ command: 'connect', host: address.host, port: address.port });
  }

  /** Asks the peer to announce to its trackers now (it then dials the new peers the tracker returns). */
  announce(): void {
    this.send({ command: 'announce' });
  }

  private send(command: PeerScriptCommand): void {
    this.process.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  /** The last progress line (waits for the first one; rejects if the peer fails before sending any). */
  progress(): Promise<PeerProgress> {
    if (this.latest) return Promise.resolve(this.latest);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const onProgress = (progress: PeerProgress): void => {
        this.events.off('failure', onFailure);
        resolve(progress);
      };
      const onFailure = (error: Error): void => {
        this.events.off('progress', onProgress);
        reject(error);
      };
      this.events.once('progress', onProgress);
      this.events.once('failure', onFailure);
    });
  }

  whenComplete(timeoutMs: number): Promise<void> {
    if (this.completedAt !== undefined) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        this.events.off('complete', done);
        this.events.off('failure', done);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => {
        const progress = this.latest ? ` (${this.latest.downloaded} of ${this.latest.total} bytes, ${this.latest.peers} peers)` : '';
        done(new PeerProcessError(`${this.client} did not complete within ${timeoutMs} ms${progress}`));
      }, timeoutMs);
      this.events.on('complete', done);
      this.events.on('failure', done);
    });
  }

  /** Closes stdin (the script's shutdown request), then SIGTERM/SIGKILL by PID if it lingers. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.process.running) return;
    this.process.child.stdin.end();
    const timer = setTimeout(() => void this.process.stop(), graceMs);
    await this.process.exited;
    clearTimeout(timer);
  }

  private handle(event: PeerScriptEvent): void {
    if (event.event === 'progress') {
      const { event: _event, ...progress } = event;
      this.latest = progress;
      this.events.emit('progress', progress);
    } else if (event.event === 'complete') {
      this.completedAt ??= performance.now();
      this.events.emit('complete');
    } else if (event.event === 'error' && !this.failure && this.completedAt === undefined) {
      this.failure = new PeerProcessError(`${this.client}: ${event.message}`);
      this.events.emit('failure', this.failure);
    }
  }
}

/** Lines that are not protocol JSON (a library's own chatter) are skipped, not fatal. */
function parseEvent(line: string): PeerScriptEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as PeerScriptEvent;
  } catch {
    return undefined;
  }
}
