import { Global, Module } from '@nestjs/common';
import { ProductRepository } from '../products/product.repository';
import { ReleaseRepository } from './release.repository';

/**
 * ReleaseRepository and ProductRepository for every module (global): the release API, the build worker
 * and the serving modules (web seed, downloads, origin seeder) read and update the same records.
 */
@Global()
@Module({ providers: [ReleaseRepository, ProductRepository], exports: [ReleaseRepository, ProductRepository] })
export class ReleaseRecordsModule {}
