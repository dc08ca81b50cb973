export { ConnectionLimitError, type ConnectionLimitOptions, ConnectionLimits } from './connection-limits';
export {
  type AcceptOptions,
  acceptHandshake,
  type ConnectOptions,
  connectPeer,
  type EstablishedConnection,
  type HandshakeOutcome,
  type IncomingRoute,
} from './handshake-exchange';
export { type IncomingConnection, ListenError, Listener, type ListenerOptions } from './listener';
