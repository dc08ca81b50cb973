export { OwnAddress } from './own-address';
export { PexExchange, type PexExchangeOptions, type PexSubject } from './pex-exchange';
