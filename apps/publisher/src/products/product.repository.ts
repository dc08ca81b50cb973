import { Inject, Injectable } from '@nestjs/common';
import type { ObjectStore } from '@seedfleet/storage';
import type { Redis } from 'ioredis';
import { ApiError, conflict, notFound } from '../api/api-error';
import { PRODUCT_NAME_PATTERN } from '../api/validation';
import { PUBLISHER_CONFIG } from '../config/config.tokens';
import type { PublisherConfig } from '../config/publisher-config';
import { REDIS } from '../redis/redis.tokens';
import { readJsonObject, writeJsonObject } from '../storage/json-objects';
import { OBJECT_STORE } from '../storage/storage.tokens';
import { type Product, productKey, PRODUCTS_PREFIX } from './product.model';

/** Products in the object store; a Redis SET NX claims a name so two replicas cannot both create it. */
@Injectable()
export class ProductRepository {
  constructor(
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(PUBLISHER_CONFIG) private readonly config: PublisherConfig,
  ) {}

  async create(product: Product): Promise<Product> {
    const claim = `${this.config.redisKeyPrefix}product:${product.name}`;
    if ((await this.redis.set(claim, '1', 'NX')) !== 'OK') throw conflict(`product ${product.name} already exists`);
    try {
      // Storage is the source of truth: a Redis that lost its keys must not let a product be created twice.
      if (await this.store.head(productKey(product.name))) throw conflict(`product ${product.name} already exists`);
      await writeJsonObject(this.store, productKey(product.name), product);
      return product;
    } catch (error) {
      if (!(error instanceof ApiError && error.statusCode === 409)) await this.redis.del(claim);
      throw error;
    }
  }

  async get(name: string): Promise<Product | undefined> {
    if (!PRODUCT_NAME_PATTERN.test(name)) return undefined;
    return readJsonObject<Product>(this.store, productKey(name));
  }

  async require(name: string): Promise<Product> {
    const product = await this.get(name);
    if (!product) throw notFound(`product ${JSON.stringify(name)} does not exist; create it with POST /api/products`);
    return product;
  }

  async list(): Promise<Product[]> {
    const products: Product[] = [];
    for await (const object of this.store.list(PRODUCTS_PREFIX)) {
      const product = await this.get(object.key.slice(PRODUCTS_PREFIX.length).replace(/\.json$/, ''));
      if (product) products.push(product);
    }
    return products;
  }
}
