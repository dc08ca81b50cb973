import { commandsFor, loadAllCommands } from './command-loaders';

describe('command loaders', () => {
  it('load every command under the name it is listed as, each name once', () => {
    const names = loadAllCommands().map((command) => command.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('torrent create');
  });

  it.each([
    [['torrent', 'create', 'dir', '--v1'], ['torrent create']],
    [['releases', 'list', '--json'], ['releases list']],
    [['get', 'x.torrent'], ['get']],
    [['--version'], []],
    [['-V'], []],
  ])('%j needs only %j', (argv, names) => {
    expect(commandsFor(argv).map((command) => command.name)).toEqual(names);
  });

  it.each([[[]], [['--help']], [['help', 'torrent', 'create']], [['torrent']], [['torrent', 'nope']], [['nope']]])('%j gets every command', (argv) => {
    expect(commandsFor(argv)).toHaveLength(loadAllCommands().length);
  });
});
