import { type BEncodable, encode, hasLoneSurrogate, textKey } from '@seedfleet/bencode';
import type { CreateOptions } from './create-options';
import { Encoded } from './encoded-dict';
import type { PlanHashes } from './hash-plan';
import type { CreationPlan, PlannedFile } from './plan';

type Dict = Map<string, BEncodable | undefined>;

/**
 * The info dict's entries. Only what the content needs plus `private`, so a v1 single file matches
 * mktorrent's info dict byte for byte and hybrids match libtorrent's. Keys inside the file tree are binary
 * strings (see @seedfleet/bencode), so any file name, '__proto__' included, is just a key. `files`: the v1
 * file list when it was encoded ahead (see encodeFileList).
 */
export function infoEntries(plan: CreationPlan, hashes: PlanHashes, options: CreateOptions, files?: Encoded): [string, BEncodable | Encoded | undefined][] {
  const entries: [string, BEncodable | Encoded | undefined][] = [
    ['name', plan.name],
    ['piece length', plan.pieceLength],
    ['private', options.private ? 1 : undefined],
  ];
  if (plan.version !== 'v2') {
    entries.push(['pieces', hashes.pieces!]);
    if (plan.single) entries.push(['length', plan.files[0].length], ...singleFileAttributes(plan.files[0]));
    else entries.push(['files', files ?? encodeFileList(plan.files)]);
  }
  if (plan.version !== 'v1') entries.push(['meta version', 2], ['file tree', fileTree(plan, hashes)]);
  return entries;
}

/** The v1 `files` list (pads included), known as soon as every file is laid out, before any hash. */
export function encodeFileList(files: readonly PlannedFile[]): Encoded {
  return new Encoded(fileListText(files) ?? encode(files.map(v1Entry)));
}

/**
 * The bytes encode() writes for the v1 entries, built as one string and converted once: the generic
 * encoder spent ~40 ms on the 10k dicts of a tree of small files, the main thread's largest cost after
 * the walk. Undefined for what only the generic encoder handles: symlinks, and text with lone surrogates
 * (which it refuses; Buffer.from would write U+FFFD). A file's dict keys in byte order: attr, length, path.
 */
function fileListText(files: readonly PlannedFile[]): Buffer | undefined {
  let text = 'l';
  // Consecutive files share their directories: the previous file's encoded directory part is reused.
  let directories: readonly string[] = [];
  let directoriesText = '';
  for (const file of files) {
    const { path, attributes } = file;
    if (file.symlinkPath !== undefined || path.length === 0) return undefined;
    if (attributes !== '') {
      const attr = textOf(attributes);
      if (attr === undefined) return undefined;
      text += `d4:attr${attr}6:lengthi${file.length}e4:pathl`;
    } else {
      text += `d6:lengthi${file.length}e4:pathl`;
    }
    if (!sameDirectories(path, directories)) {
      directoriesText = '';
      for (let index = 0; index < path.length - 1; index++) {
        const component = textOf(path[index]);
        if (component === undefined) return undefined;
        directoriesText += component;
      }
      directories = path;
    }
    const name = textOf(path[path.length - 1]);
    if (name === undefined) return undefined;
    text += `${directoriesText}${name}ee`;
  }
  return Buffer.from(`${text}e`, 'utf8');
}

/** `<UTF-8 byte length>:<text>`, or undefined for text with a lone surrogate. */
function textOf(text: string): string | undefined {
  const length = Buffer.byteLength(text, 'utf8');
  if (length !== text.length && hasLoneSurrogate(text)) return undefined;
  return `${length}:${text}`;
}

function sameDirectories(path: readonly string[], previous: readonly string[]): boolean {
  if (path.length !== previous.length) return false;
  for (let index = 0; index < path.length - 1; index++) if (path[index] !== previous[index]) return false;
  return true;
}

/** BEP 52 `piece layers`: pieces root -> piece hashes, for files longer than one piece; identical files share one entry. */
export function pieceLayers(hashes: PlanHashes): Dict {
  const layers: Dict = new Map();
  for (const { piecesRoot, pieceLayer } of hashes.files.values()) {
    if (pieceLayer !== null) layers.set(piecesRoot.toString('latin1'), pieceLayer);
  }
  return layers;
}

/**
 * A file's dicts are plain objects with their keys in byte order: the encoder caches the bytes of such
 * keys, where it converts every Map key anew (a hybrid of 10k files has 30k of these dicts).
 */
function v1Entry(file: PlannedFile): FileDict {
  return withLink({ attr: attributesOf(file), length: file.length, path: [...file.path] }, file);
}

function fileTree(plan: CreationPlan, hashes: PlanHashes): Dict {
  const root: Dict = new Map();
  for (const file of plan.files) {
    if (file.source === undefined) continue; // pad files exist only in the v1 list
    const path = plan.single ? [plan.name] : file.path;
    let directory = root;
    for (const component of path) {
      const key = textKey(component);
      if (!directory.has(key)) directory.set(key, new Map());
      directory = directory.get(key) as Dict;
    }
    directory.set('', v2Leaf(file, hashes));
  }
  return root;
}

/** libtorrent writes no `length` for a symlink leaf and no `pieces root` for an empty file. */
function v2Leaf(file: PlannedFile, hashes: PlanHashes): FileDict {
  const length = file.symlinkPath === undefined ? file.length : undefined;
  return withLink({ attr: attributesOf(file), length, 'pieces root': hashes.files.get(file)?.piecesRoot }, file);
}

type FileDict = { [key: string]: BEncodable | undefined };

function attributesOf(file: PlannedFile): string | undefined {
  return file.attributes === '' ? undefined : file.attributes;
}

/** 'symlink path' sorts after every other key of a file's dict, so it goes last. */
function withLink(dict: FileDict, file: PlannedFile): FileDict {
  if (file.symlinkPath !== undefined) dict['symlink path'] = [...file.symlinkPath];
  return dict;
}

function singleFileAttributes(file: PlannedFile): [string, BEncodable | undefined][] {
  return [
    ['attr', attributesOf(file)],
    ['symlink path', file.symlinkPath && [...file.symlinkPath]],
  ];
}
