export { CryptoMethod, type CryptoMethodName, cryptoProvide, ENCRYPTION_POLICIES, type EncryptionPolicy, selectCryptoMethod } from './crypto-method';
export { MSE_KEY_LENGTH, MSE_PRIME, mseHash, obfuscatedInfoHash, publicKey, type RandomSource, sharedSecret, streamCiphers } from './dh';
export { MseInitiator, type MseInitiatorOptions } from './initiator';
export { MseError, type MseErrorReason } from './mse-error';
export { MSE_MAX_PAD, MSE_VC, type MseProgress, type MseResult, type StreamCipher } from './mse-result';
export { Rc4 } from './rc4';
export { MseResponder, type MseResponderOptions, secretKeyIndex } from './responder';
