import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createObjectStore, type ObjectStore, type ObjectStoreConfig } from '@seedfleet/storage';
import type { StorageConfig } from '../config/publisher-config';
import { OBJECT_STORE } from './storage.tokens';

export function objectStoreConfig(storage: StorageConfig): ObjectStoreConfig {
  if (storage.kind === 'fs') return { kind: 'fs', root: storage.dir };
  const { kind, bucket, region, endpoint, forcePathStyle, prefix, credentials } = storage;
  return { kind, bucket, region, endpoint, forcePathStyle, prefix, credentials };
}

class ObjectStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(OBJECT_STORE) private readonly store: ObjectStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** OBJECT_STORE for every module: the libs/storage adapter STORAGE names (local directory or S3). */
@Module({})
export class StorageModule {
  /** `wrap` decorates the adapter (tests use it to slow reads down; embedders to add metrics). */
  static forRoot(storage: StorageConfig, wrap?: (store: ObjectStore) => ObjectStore): DynamicModule {
    return {
      module: StorageModule,
      global: true,
      providers: [
        {
          provide: OBJECT_STORE,
          useFactory: () => {
            const store = createObjectStore(objectStoreConfig(storage));
            return wrap ? wrap(store) : store;
          },
        },
        ObjectStoreLifecycle,
      ],
      exports: [OBJECT_STORE],
    };
  }
}
