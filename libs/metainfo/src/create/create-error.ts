/** A torrent cannot be made from these files or options; `subject` names the option or file at fault. */
export class CreateTorrentError extends Error {
  override readonly name = 'CreateTorrentError';
  constructor(
    readonly subject: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${subject}: ${problem}`, options);
  }
}
