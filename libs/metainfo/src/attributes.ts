import type { BDict } from '@seedfleet/bencode';
import { expectBytes, required } from './fields';
import { readPath } from './path-component';

/** BEP 47 file attributes, shared by v1 file entries, single-file info dicts and v2 file-tree leaves. */
export interface FileAttributes {
  attributes: string;
  pad: boolean;
  symlinkPath?: string[];
}

/** `field` is the dict holding the attributes, e.g. 'info.files[2]'. */
export function readAttributes(dict: BDict, field: string): FileAttributes {
  const attr = dict.get('attr');
  // Unknown characters are allowed and ignored (BEP 47); keep them so a re-encoded torrent is unchanged.
  const attributes = attr === undefined ? '' : expectBytes(attr, `${field}.attr`).toString('latin1');
  const result: FileAttributes = { attributes, pad: attributes.includes('p') };
  if (attributes.includes('l')) {
    const target = required(dict, 'symlink path', `${field}.symlink path`);
    result.symlinkPath = readPath(target, `${field}.symlink path`);
  }
  return result;
}
