/** One line of a completion-time CDF: the seconds at which each agent completed. */
export interface CdfSeries {
  readonly label: string;
  readonly color: string;
  readonly seconds: readonly number[];
  /** Agents that never completed: the curve stays below 1. */
  readonly total: number;
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceStep(range: number): number {
  const raw = range / 6;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((factor) => factor * magnitude).find((step) => step >= raw) ?? 10 * magnitude;
}

/**
 * A step-function CDF of completion times (x: seconds since start, y: share of agents complete) as a
 * self-contained SVG, with a dashed vertical line at T_min.
 */
export function renderCdfSvg(title: string, series: readonly CdfSeries[], tMinSeconds: number): string {
  const width = 640;
  const height = 360;
  const margin = { left: 56, right: 16, top: 36, bottom: 44 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const maxSeconds = Math.max(tMinSeconds, ...series.flatMap((line) => line.seconds), 1) * 1.05;
  const x = (seconds: number): number => Math.round((margin.left + (seconds / maxSeconds) * plotWidth) * 10) / 10;
  const y = (share: number): number => Math.round((margin.top + (1 - share) * plotHeight) * 10) / 10;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(`<text x="${width / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`);
  const step = niceStep(maxSeconds);
  for (let tick = 0; tick <= maxSeconds; tick += step) {
    parts.push(`<line x1="${x(tick)}" y1="${margin.top}" x2="${x(tick)}" y2="${margin.top + plotHeight}" stroke="#eee"/>`);
    parts.push(`<text x="${x(tick)}" y="${margin.top + plotHeight + 14}" text-anchor="middle">${tick}</text>`);
  }
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${margin.left}" y1="${y(share)}" x2="${margin.left + plotWidth}" y2="${y(share)}" stroke="#eee"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${y(share) + 4}" text-anchor="end">${share * 100}%</text>`);
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${margin.left + plotWidth / 2}" y="${height - 8}" text-anchor="middle">seconds since start</text>`);
  parts.push(`<text x="14" y="${margin.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 14 ${margin.top + plotHeight / 2})">agents complete</text>`);
  parts.push(`<line x1="${x(tMinSeconds)}" y1="${margin.top}" x2="${x(tMinSeconds)}" y2="${margin.top + plotHeight}" stroke="#555" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${x(tMinSeconds) + 4}" y="${margin.top + 12}" fill="#555">T_min ${tMinSeconds.toFixed(1)} s</text>`);
  for (const [index, line] of series.entries()) {
    const sorted = [...line.seconds].sort((a, b) => a - b);
    let path = `M ${x(0)} ${y(0)}`;
    sorted.forEach((seconds, rank) => {
      path += ` H ${x(seconds).toFixed(1)} V ${y((rank + 1) / line.total).toFixed(1)}`;
    });
    parts.push(`<path d="${path}" fill="none" stroke="${line.color}" stroke-width="2"/>`);
    // Top left: every curve is still at 0 % there.
    const legendY = margin.top + 14 + index * 16;
    parts.push(`<line x1="${margin.left + 10}" y1="${legendY}" x2="${margin.left + 30}" y2="${legendY}" stroke="${line.color}" stroke-width="2"/>`);
    parts.push(`<text x="${margin.left + 35}" y="${legendY + 4}">${escapeXml(`${line.label} (${sorted.length}/${line.total})`)}</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
