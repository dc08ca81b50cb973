export { type BanEntry, BanList, type BanListOptions } from './ban-list';
export { canonicalIp } from './canonical-ip';
export { PeerAddresses } from './peer-addresses';
