/** A parsed `Content-Range: bytes first-last/total` (total undefined for '*'). */
export interface ContentRange {
  readonly first: number;
  readonly last: number;
  readonly total?: number;
}

const pattern = /^bytes[ \t]+(\d{1,16})-(\d{1,16})\/(\d{1,16}|\*)$/i;

/** Parses a Content-Range header; undefined when it is missing, malformed or impossible (last < first, past total). */
export function parseContentRange(header: string | undefined): ContentRange | undefined {
  const match = header === undefined ? null : pattern.exec(header.trim());
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = Number(match[2]);
  const total = match[3] === '*' ? undefined : Number(match[3]);
  if (last < first || (total !== undefined && last >= total)) return undefined;
  return { first, last, total };
}
