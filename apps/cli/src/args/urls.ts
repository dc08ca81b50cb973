const trackerSchemes = new Set(['http:', 'https:', 'udp:', 'ws:', 'wss:']);
const webSeedSchemes = new Set(['http:', 'https:']);

function checkUrl(text: string, schemes: ReadonlySet<string>): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`'${text}' is not a URL`);
  }
  if (!schemes.has(url.protocol)) throw new Error(`'${text}': expected one of ${[...schemes].map((scheme) => scheme.slice(0, -1)).join(', ')}`);
  return text;
}

/** One `--tracker` value is one BEP 12 tier: comma-separated URLs are backups of each other (mktorrent's -a). */
export function parseTrackerTier(text: string): string[] {
  const urls = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (urls.length === 0) throw new Error('no tracker URL given');
  return urls.map((url) => checkUrl(url, trackerSchemes));
}

export function parseWebSeed(text: string): string {
  return checkUrl(text.trim(), webSeedSchemes);
}
