import type { Socket } from 'node:net';
import { encodeMessage, Framer, type Message, type ReservedFlags } from '@seedfleet/wire';
import { PeerConnection, type PeerConnectionInit } from '../peer-connection';
import { allFlags, handshakenPair, uniformGeometry } from './loopback';
import { RecordingHandler } from './recording-handler';

/**
 * A PeerConnection facing a raw socket the test drives byte by byte: the way to play a misbehaving peer.
 * What the connection sends is decoded into `received`.
 */
export async function connectionWithRawPeer(
  options: {
    rawFlags?: Partial<ReservedFlags>;
    ourFlags?: Partial<ReservedFlags>;
    peer?: Omit<PeerConnectionInit, 'socket' | 'remote' | 'leftover' | 'handler' | 'localFlags'>;
  } = {},
) {
  const ourFlags = options.ourFlags ?? allFlags;
  const { accepted, outgoing } = await handshakenPair(ourFlags, options.rawFlags ?? allFlags);
  const events = new RecordingHandler();
  const peer = new PeerConnection({ ...accepted, localFlags: ourFlags, handler: events, geometry: uniformGeometry(20), ...options.peer });
  const raw: Socket = outgoing.socket;
  const received: Message[] = [];
  const waiters: (() => void)[] = [];
  const framer = new Framer({ maxMessageLength: 16 * 1024 * 1024 });
  // A copy: chunks are lent (ChunkSource), and this framer's messages are views of what it is fed.
  outgoing.input.setConsumer((chunk) => {
    received.push(...framer.feed(Buffer.from(chunk)));
    for (const wake of waiters.splice(0)) wake();
  });
  raw.on('error', () => undefined);
  const send = (...messages: Message[]): void => {
    raw.write(Buffer.concat(messages.map((message) => encodeMessage(message))));
  };
  /** Resolves once `count` messages of `type` have arrived from the connection. */
  const receivedCount = async (type: Message['type'], count = 1): Promise<Message[]> => {
    for (;;) {
      const matching = received.filter((message) => message.type === type);
      if (matching.length >= count) return matching;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { peer, events, raw, send, received, receivedCount };
}
