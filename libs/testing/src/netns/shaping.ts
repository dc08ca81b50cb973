/**
 * tc arguments for a token-bucket rate limit on one device's egress. netem is not in this kernel, so
 * shaping is rate only: tbf drops what exceeds a queue of `queueMs` worth of bytes, which TCP takes as
 * congestion, as on a real access link.
 */
export function tbfArgs(namespace: string, device: string, mbit: number, queueMs = 100): string[] {
  if (!(mbit > 0) || !Number.isFinite(mbit)) throw new RangeError(`a link rate must be a positive number of Mbit/s, not ${mbit}`);
  const bytesPerSecond = (mbit * 1e6) / 8;
  // The bucket must hold at least one GSO super-packet (veth offloads send up to 64 KiB at once) and
  // enough for a 4 ms timer tick at this rate, or the shaper cannot reach its rate.
  const burst = Math.max(64 * 1024, Math.ceil(bytesPerSecond / 250));
  const limit = Math.max(2 * burst, Math.ceil((bytesPerSecond * queueMs) / 1000));
  return ['-n', namespace, 'qdisc', 'replace', 'dev', device, 'root', 'tbf', 'rate', `${mbit}mbit`, 'burst', String(burst), 'limit', String(limit)];
}
