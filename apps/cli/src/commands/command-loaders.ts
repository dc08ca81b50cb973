import type { CliCommand } from './command';

/**
 * Every `seedfleet` command by name, its module loaded only when needed: loading all of them (the
 * engine, the tracker, the wire protocol, the publisher client) cost ~110 ms before `torrent create`
 * could start hashing, more than a quarter of hashing a 10k-file tree. Add a command by adding its file
 * under commands/ and a line here.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading is the point of this table */
const loaders: readonly (readonly [string, () => CliCommand])[] = [
  ['get', () => (require('./get') as typeof import('./get')).getCommand],
  ['keys init', () => (require('./keys-init') as typeof import('./keys-init')).keysInitCommand],
  ['keys rotate-root', () => (require('./keys-rotate-root') as typeof import('./keys-rotate-root')).keysRotateRootCommand],
  ['publish', () => (require('./publish') as typeof import('./publish')).publishCommand],
  ['releases list', () => (require('./releases') as typeof import('./releases')).releasesListCommand],
  ['releases retire', () => (require('./releases') as typeof import('./releases')).releasesRetireCommand],
  ['releases show', () => (require('./releases') as typeof import('./releases')).releasesShowCommand],
  ['seed', () => (require('./seed') as typeof import('./seed')).seedCommand],
  ['torrent create', () => (require('./torrent-create') as typeof import('./torrent-create')).torrentCreateCommand],
  ['torrent info', () => (require('./torrent-info') as typeof import('./torrent-info')).torrentInfoCommand],
  ['tracker', () => (require('./tracker') as typeof import('./tracker')).trackerCommand],
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** Every command, loaded. */
export function loadAllCommands(): CliCommand[] {
  return loaders.map(([name, load]) => loaded(name, load));
}

/**
 * The commands a run with this argv can use: only the one its leading words name, none for --version,
 * all of them otherwise (help, the overview, and errors that list the commands).
 */
export function commandsFor(argv: readonly string[]): CliCommand[] {
  if (argv[0] === '--version' || argv[0] === '-V') return [];
  // The longest name wins, as in run(): 'releases list' rather than a hypothetical 'releases'.
  for (let words = Math.min(argv.length, 3); words > 0; words--) {
    const name = argv.slice(0, words).join(' ');
    const entry = loaders.find(([candidate]) => candidate === name);
    if (entry !== undefined) return [loaded(...entry)];
  }
  return loadAllCommands();
}

function loaded(name: string, load: () => CliCommand): CliCommand {
  const command = load();
  if (command.name !== name) throw new Error(`command loader '${name}' loaded the command '${command.name}'`);
  return command;
}
