import { randomBytes } from 'node:crypto';

/** Azureus-style prefix: client code SF, version 0.0.0.1. */
export const PEER_ID_PREFIX = '-SF0001-';
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A fresh 20-byte peer id: our prefix and 12 printable random characters (printable so it reads well in
 * other clients' peer lists and logs). `random` returns bytes, injected for deterministic tests.
 */
export function generatePeerId(random: (size: number) => Uint8Array = randomBytes): Buffer {
  const bytes = random(12);
  const suffix = Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('');
  return Buffer.from(PEER_ID_PREFIX + suffix, 'latin1');
}

const AZUREUS_CLIENTS: Record<string, string> = {
  SF: 'seedfleet',
  LT: 'libtorrent',
  lt: 'libTorrent (rakshasa)',
  TR: 'Transmission',
  qB: 'qBittorrent',
  DE: 'Deluge',
  UT: 'µTorrent',
  BT: 'BitTorrent',
  AZ: 'Vuze',
  WW: 'WebTorrent',
  KT: 'KTorrent',
  RT: 'rtorrent',
  BC: 'BitComet',
  FD: 'Free Download Manager',
};

/**
 * A display name for the client behind a peer id, e.g. "libtorrent 2.0.8.0", "Transmission 3.00",
 * "aria2 1.36.0", or undefined for an id in no convention we know. Only for display: peer ids are
 * self-declared.
 */
export function clientFromPeerId(peerId: Uint8Array): string | undefined {
  const text = Buffer.from(peerId).toString('latin1');
  const azureus = /^-([A-Za-z~]{2})([0-9A-Za-z]{4})-/.exec(text);
  if (azureus) {
    const [, code, version] = azureus;
    const name = AZUREUS_CLIENTS[code] ?? code;
    return `${name} ${azureusVersion(code, version)}`;
  }
  const aria2 = /^A2-(\d+)-(\d+)-(\d+)-/.exec(text);
  if (aria2) return `aria2 ${aria2.slice(1).join('.')}`;
  const mainline = /^M(\d+)-(\d+)-(\d+)-/.exec(text);
  if (mainline) return `BitTorrent ${mainline.slice(1).join('.')}`;
  return undefined;
}

function azureusVersion(code: string, version: string): string {
  // Transmission writes "300Z" for 3.00 and "0940" for 0.94: major digit(s), then two minor digits.
  if (code === 'TR') return /^\d{3}/.test(version) ? `${version[0]}.${version.slice(1, 3)}` : version;
  // Everyone else writes one character per component; libtorrent uses letters for 10+ (A = 10).
  return Array.from(version, (character) => (/[A-Z]/.test(character) ? String(character.charCodeAt(0) - 55) : character)).join('.');
}
