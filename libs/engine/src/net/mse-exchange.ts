import type { Socket } from 'node:net';
import { MseError, type MseProgress, type MseResult } from '@seedfleet/wire';
import type { ChunkSource } from '../peer/chunk-source';
import { type DisconnectReason, disconnectReason, reasonFromError } from '../peer/disconnect-reason';

/** Either side of MSE (MseInitiator after start(), or MseResponder). */
export interface MseMachine {
  receive(chunk: Buffer): MseProgress;
}

export type MseOutcome = { readonly ok: true; readonly value: MseResult } | { readonly ok: false; readonly reason: DisconnectReason };

/**
 * Runs an MSE handshake over the socket: `first` is written at once (the initiator's Ya + PadA),
 * `initial` holds bytes already read from the peer (the responder's peek). Resolves once the machine
 * completes, with the socket paused and our listeners removed; on failure the socket is destroyed.
 * Never rejects.
 */
export function exchangeMse(socket: Socket, input: ChunkSource, machine: MseMachine, options: { first?: Buffer; initial?: Buffer; timeoutMs: number }): Promise<MseOutcome> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: MseOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      input.setConsumer(undefined);
      socket.off('error', onError).off('close', onClose).off('end', onClose);
      if (outcome.ok) socket.on('error', ignore);
      else socket.destroy();
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      try {
        // A copy: the chunk is lent (ChunkSource) and the result's remainder may be a view of it.
        const { send, result } = machine.receive(Buffer.from(chunk));
        if (send) socket.write(send);
        if (result) finish({ ok: true, value: result });
      } catch (error) {
        finish({ ok: false, reason: mseReason(error) });
      }
    };
    const onError = (error: Error): void => finish({ ok: false, reason: disconnectReason('socket-error', `during the MSE handshake: ${error.message}`, error) });
    const onClose = (): void => finish({ ok: false, reason: disconnectReason('closed-by-peer', 'the peer closed the connection during the MSE handshake') });
    const timer = setTimeout(() => finish({ ok: false, reason: disconnectReason('timeout', `no MSE handshake within ${options.timeoutMs} ms`) }), options.timeoutMs);
    socket.on('error', onError).on('close', onClose).on('end', onClose);
    if (options.first) socket.write(options.first);
    if (options.initial && options.initial.length > 0) onData(options.initial);
    if (!done) input.setConsumer(onData);
  });
}

function mseReason(error: unknown): DisconnectReason {
  if (!(error instanceof MseError)) return reasonFromError(error, 'during the MSE handshake');
  const code = error.reason === 'unknown-torrent' ? 'unknown-torrent' : 'encryption';
  return disconnectReason(code, `MSE handshake: ${error.message}`, error);
}

function ignore(): void {}
