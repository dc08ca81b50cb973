const binaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 -> '1.50 KiB'; whole bytes below 1 KiB ('512 B'). */
export function formatBytes(bytes: number): string {
  let scaled = bytes;
  let unit = 0;
  while (Math.abs(scaled) >= 1024 && unit < binaryUnits.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${scaled.toFixed(2)} ${binaryUnits[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** Seconds as m:ss or h:mm:ss, rounded up so an ETA never shows 0:00 while work remains. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}
