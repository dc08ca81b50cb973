/**
 * Query parameters as raw bytes. URLSearchParams decodes %XX as UTF-8, which mangles binary info hashes
 * and peer ids, so trackers need their own parser. Repeated names (scrape's info_hash) keep every value.
 */
export function parseRawQuery(url: string): Map<string, Buffer[]> {
  const params = new Map<string, Buffer[]>();
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return params;
  for (const pair of url.slice(queryAt + 1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = percentDecode(equals < 0 ? pair : pair.slice(0, equals)).toString('latin1');
    const value = percentDecode(equals < 0 ? '' : pair.slice(equals + 1));
    params.set(name, [...(params.get(name) ?? []), value]);
  }
  return params;
}

function percentDecode(text: string): Buffer {
  const bytes: number[] = [];
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(at + 1, at + 3))) {
      bytes.push(parseInt(text.slice(at + 1, at + 3), 16));
      at += 2;
    } else if (char === '+') {
      bytes.push(0x20);
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}
