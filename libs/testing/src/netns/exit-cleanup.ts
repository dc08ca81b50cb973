/**
 * Networks still alive when the process ends are removed by synchronous exit handlers: namespaces outlive
 * their creator otherwise. Handlers are installed while at least one network is alive, and removed after.
 */
type SyncCleanup = () => void;

const live = new Set<SyncCleanup>();
let installed = false;

function runAll(): void {
  for (const cleanup of [...live]) {
    live.delete(cleanup);
    cleanup();
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  uninstall();
  // Re-raise so the process ends the way the signal meant (and the parent sees it).
  process.kill(process.pid, signal);
}

function onUncaught(error: Error): void {
  runAll();
  uninstall();
  throw error;
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  process.once('uncaughtException', onUncaught);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', runAll);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
  process.off('uncaughtException', onUncaught);
}

/** Registers a cleanup to run if the process exits first; call the returned function once cleaned up normally. */
export function cleanupOnExit(cleanup: SyncCleanup): () => void {
  live.add(cleanup);
  install();
  return () => {
    live.delete(cleanup);
    if (live.size === 0) uninstall();
  };
}
