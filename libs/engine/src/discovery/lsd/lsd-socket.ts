import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { DiscoveryError, discoveryError } from '../discovery-error';
import { describeGroup, isIpv6Group, type LsdGroup } from './lsd-group';

export interface LsdSocketHandlers {
  readonly onMessage: (datagram: Buffer, from: RemoteInfo) => void;
  readonly onError: (error: DiscoveryError) => void;
}

/**
 * One UDP socket joined to one LSD group: bound to the group's port on the wildcard address with
 * SO_REUSEADDR (other clients on the host listen on 6771 too), multicast loopback on so clients on the same
 * host hear each other.
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
  static open(group: LsdGroup, hops: number, handlers: LsdSocketHandlers): Promise<LsdSocket> {
    const ipv6 = isIpv6Group(group);
    const socket = createSocket({ type: ipv6 ? 'udp6' : 'udp4', reuseAddr: true });
    return new Promise((resolve, reject) => {
      const failBind = (error: Error): void => {
        socket.close();
        reject(discoveryError('bind-failed', `LSD ${describeGroup(group)}: binding port ${group.port}`, error));
      };
      socket.once('error', failBind);
      socket.bind({ port: group.port, address: ipv6 ? '::' : '0.0.0.0', exclusive: false }, () => {
        socket.off('error', failBind);
        try {
          socket.addMembership(group.address, group.interface);
          if (group.interface !== undefined) socket.setMulticastInterface(group.interface);
          socket.setMulticastLoopback(true);
          socket.setMulticastTTL(hops);
        } catch (error) {
          socket.close();
          reject(discoveryError('join-failed', `LSD ${describeGroup(group)}: joining the group`, error));
          return;
        }
        const lsdSocket = new LsdSocket(group, socket, handlers);
        socket.on('message', (datagram, from) => lsdSocket.handlers.onMessage(datagram, from));
        socket.on('error', (error) => lsdSocket.report(discoveryError('socket', `LSD ${describeGroup(group)}`, error)));
        socket.unref();
        resolve(lsdSocket);
      });
    });
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
