import { type BEncodable, textKey } from '@seedfleet/bencode';
import type { CreateOptions } from './create-options';
import type { PlanHashes } from './hash-plan';
import type { CreationPlan, PlannedFile } from './plan';

type Dict = Map<string, BEncodable | undefined>;

const ASCII = /^[\x00-\x7f]*$/;

/**
 * The info dict. Only what the content needs plus `private`, so a v1 single file matches mktorrent's
 * info dict byte for byte and hybrids match libtorrent's. Keys are binary strings (see @seedfleet/bencode),
 * so any file name, '__proto__' included, is just a key.
 */
export function buildInfo(plan: CreationPlan, hashes: PlanHashes, options: CreateOptions): Dict {
  const info: Dict = new Map();
  info.set('name', plan.name);
  info.set('piece length', plan.pieceLength);
  if (options.private) info.set('private', 1);
  if (plan.version !== 'v2') {
    info.set('pieces', hashes.pieces!);
    if (plan.single) {
      info.set('length', plan.files[0].length);
      setAttributes(info, plan.files[0]);
    } else {
      info.set('files', plan.files.map(v1Entry));
    }
  }
  if (plan.version !== 'v1') {
    info.set('meta version', 2);
    info.set('file tree', fileTree(plan, hashes));
  }
  return info;
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
      // ASCII names are their own binary-string key: skip the two conversions.
      const key = ASCII.test(component) ? component : textKey(component);
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

function setAttributes(dict: Dict, file: PlannedFile): void {
  if (file.attributes !== '') dict.set('attr', file.attributes);
  if (file.symlinkPath !== undefined) dict.set('symlink path', [...file.symlinkPath]);
}
