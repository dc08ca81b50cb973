import { commandsFor } from './commands/command-loaders';
import { run } from './run';

/** Process entry: wires real streams and signals into run(); a second Ctrl-C exits at once. */
const controller = new AbortController();
const stop = (): void => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new Error('interrupted'));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const argv = process.argv.slice(2);
run(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  now: () => performance.now(),
  signal: controller.signal,
}, commandsFor(argv)).then((code) => {
  process.exitCode = code;
  process.removeListener('SIGINT', stop);
  process.removeListener('SIGTERM', stop);
});
