import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { DiscoveryError, discoveryError } from '../discovery-error';
import { describeGroup, isIpv6Group, type LsdGroup } from './lsd-group';

export interface LsdSocketHandlers {
  readonly onMessage: (datagram: Buffer, from: RemoteInfo) => void;
  readonly onError: (error: DiscoveryError) => void;
}

/**
 * One UDP socket joined to one LSD group, bound with SO_REUSEADDR (other clients on the host listen on 6771
 * too) to the group address itself where the OS allows it (Linux): then only datagrams sent to the group
 * arrive, not unicast ones from anywhere pretending to be LAN announces. Elsewhere the wildcard address.
 * Multicast loopback is on so clients on the same host hear each other.
 */
export class LsdSocket {
  private closed = false;
  private failing = false;

  private constructor(
    readonly group: LsdGroup,
    private readonly socket: Socket,
    private readonly handlers: LsdSocketHandlers,
  ) {}

  /** Rejects with DiscoveryError `bind-failed` or `join-failed`; the socket is closed then. */
  static async open(group: LsdGroup, hops: number, handlers: LsdSocketHandlers): Promise<LsdSocket> {
    let socket: Socket;
    try {
      socket = await bound(group, group.address);
    } catch {
      socket = await bound(group, isIpv6Group(group) ? '::' : '0.0.0.0').catch((error: unknown) => {
        throw discoveryError('bind-failed', `LSD ${describeGroup(group)}: binding port ${group.port}`, error);
      });
    }
    try {
      socket.addMembership(group.address, group.interface);
      if (group.interface !== undefined) socket.setMulticastInterface(group.interface);
      socket.setMulticastLoopback(true);
      socket.setMulticastTTL(hops);
    } catch (error) {
      socket.close();
      throw discoveryError('join-failed', `LSD ${describeGroup(group)}: joining the group`, error);
    }
    const lsdSocket = new LsdSocket(group, socket, handlers);
    socket.on('message', (datagram, from) => handlers.onMessage(datagram, from));
    socket.on('error', (error) => lsdSocket.report(discoveryError('socket', `LSD ${describeGroup(group)}`, error)));
    socket.unref();
    return lsdSocket;
  }

  /** Send failures go to onError once until a send succeeds again (a group without a route fails every time). */
  send(datagram: Buffer): void {
    if (this.closed) return;
    this.socket.send(datagram, this.group.port, this.group.address, (error) => {
      if (error === null || error === undefined) {
        this.failing = false;
        return;
      }
      if (this.failing) return;
      this.failing = true;
      this.report(discoveryError('send-failed', `LSD ${describeGroup(this.group)}: sending an announce`, error));
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private report(error: DiscoveryError): void {
    if (!this.closed) this.handlers.onError(error);
  }
}

function bound(group: LsdGroup, address: string): Promise<Socket> {
  const socket = createSocket({ type: isIpv6Group(group) ? 'udp6' : 'udp4', reuseAddr: true });
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      socket.close();
      reject(error);
    };
    socket.once('error', fail);
    socket.bind({ port: group.port, address, exclusive: false }, () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });
}
