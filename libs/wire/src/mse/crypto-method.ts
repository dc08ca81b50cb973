/** crypto_provide / crypto_select bits. */
export const CryptoMethod = { plaintext: 0x01, rc4: 0x02 } as const;
export type CryptoMethodName = keyof typeof CryptoMethod;

/**
 * - `prefer` (default, like libtorrent's pe_enabled): dial with MSE offering plaintext and RC4, fall back
 *   to a plaintext handshake if MSE fails; accept both; as responder pick plaintext when offered (the
 *   header is still obfuscated, the payload costs no cipher), RC4 when only that is offered.
 * - `require` (libtorrent pe_forced with allowed_enc_level rc4): MSE with RC4 only, both directions;
 *   plaintext handshakes are refused.
 * - `off` (pe_disabled): plaintext handshakes only; incoming MSE is refused.
 */
export type EncryptionPolicy = 'prefer' | 'require' | 'off';

export const ENCRYPTION_POLICIES: readonly EncryptionPolicy[] = ['prefer', 'require', 'off'];

/** What we offer when dialing with MSE (`off` does not dial with MSE at all). */
export function cryptoProvide(policy: EncryptionPolicy): number {
  return policy === 'require' ? CryptoMethod.rc4 : CryptoMethod.plaintext | CryptoMethod.rc4;
}

/** The responder's choice among the peer's offer; undefined when nothing fits the policy. */
export function selectCryptoMethod(policy: EncryptionPolicy, provided: number): CryptoMethodName | undefined {
  if (policy === 'off') return undefined;
  if (policy === 'prefer' && provided & CryptoMethod.plaintext) return 'plaintext';
  return provided & CryptoMethod.rc4 ? 'rc4' : undefined;
}
