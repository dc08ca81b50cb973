import { type DynamicModule, Module } from '@nestjs/common';
import { AdminGuard } from './admin.guard';
import { ADMIN_TOKEN } from './auth.tokens';

/** Provides ADMIN_TOKEN and AdminGuard to every module (global), so any controller can `@UseGuards(AdminGuard)`. */
@Module({})
export class AuthModule {
  static forRoot(adminToken: string): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [{ provide: ADMIN_TOKEN, useValue: adminToken }, AdminGuard],
      exports: [ADMIN_TOKEN, AdminGuard],
    };
  }
}
