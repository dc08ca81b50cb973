// Dict keys are binary strings: one char per byte (latin1). These convert between that form, UTF-8 text
// and raw bytes, so callers never spell out the encodings themselves.

/** The dict key for a UTF-8 text key: textKey('名前') is the key the decoder returns for those bytes. */
export function textKey(text: string): string {
  // ASCII is its own UTF-8: no round trip through a Buffer (torrent creation keys every file's path).
  return ASCII.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

const ASCII = /^[\x00-\x7f]*$/;

/** The UTF-8 reading of a dict key; invalid UTF-8 shows as U+FFFD. */
export function keyText(key: string): string {
  return Buffer.from(key, 'latin1').toString('utf8');
}

/** The raw bytes of a dict key. */
export function keyBytes(key: string): Buffer {
  return Buffer.from(key, 'latin1');
}
