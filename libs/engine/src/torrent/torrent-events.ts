import type { TorrentEvents } from './torrent-types';

type Listener<T> = (value: T) => void;

/**
 * A typed emitter. Not Node's EventEmitter on purpose: an 'error' event without a listener must not throw
 * (a torrent's storage failure is a state to show, never a process crash), and a throwing listener must
 * not break the engine's bookkeeping, so listener errors are reported as warnings.
 */
export class TorrentEventEmitter {
  private readonly listeners = new Map<keyof TorrentEvents, Set<Listener<never>>>();

  on<K extends keyof TorrentEvents>(event: K, listener: Listener<TorrentEvents[K]>): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return this;
  }

  off<K extends keyof TorrentEvents>(event: K, listener: Listener<TorrentEvents[K]>): this {
    this.listeners.get(event)?.delete(listener as Listener<never>);
    return this;
  }

  emit<K extends keyof TorrentEvents>(event: K, value: TorrentEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as Listener<TorrentEvents[K]>)(value);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'TorrentListenerWarning');
      }
    }
  }
}
