import type { CliCommand } from './command';
import { getCommand } from './get';
import { keysInitCommand } from './keys-init';
import { keysRotateRootCommand } from './keys-rotate-root';
import { publishCommand } from './publish';
import { releasesListCommand, releasesRetireCommand, releasesShowCommand } from './releases';
import { seedCommand } from './seed';
import { torrentCreateCommand } from './torrent-create';
import { torrentInfoCommand } from './torrent-info';
import { trackerCommand } from './tracker';

/** Every `seedfleet` command; add a command by adding its file under commands/ and listing it here. */
export const commands: readonly CliCommand[] = [getCommand, keysInitCommand, keysRotateRootCommand, publishCommand, releasesListCommand, releasesRetireCommand, releasesShowCommand, seedCommand, torrentCreateCommand, torrentInfoCommand, trackerCommand];
