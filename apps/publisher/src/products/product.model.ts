export interface Product {
  readonly name: string;
  /** Channels releases of this product may be published to; the first is the default. */
  readonly channels: readonly string[];
  readonly createdAt: string;
}

export const DEFAULT_CHANNELS: readonly string[] = ['stable', 'beta'];

export const productKey = (name: string): string => `meta/products/${name}.json`;
export const PRODUCTS_PREFIX = 'meta/products/';
