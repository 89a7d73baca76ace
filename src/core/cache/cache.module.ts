import { CacheModule as NestCacheModule, type CacheModuleOptions } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { AppCache } from './app-cache';
import type { CacheBackend } from './cache-backend';
import { CacheBackendModule } from './cache-backend.module';
import { CacheReadinessCheck } from './cache-readiness.check';
import { CACHE_BACKEND } from './cache.tokens';
import { CacheResponseInterceptor } from './cache-response.interceptor';

/**
 * Caching for the whole app: {@link AppCache} (what features inject) and the
 * `@CacheResponse()` interceptor, over one store chosen at boot.
 *
 * `@nestjs/cache-manager`'s `CACHE_MANAGER` is registered over the same Keyv
 * store, for libraries that expect Nest's standard cache. Features use
 * `AppCache`: Nest's own `CacheInterceptor` does not key by principal.
 */
type KeyvStoreOption = Extract<NonNullable<CacheModuleOptions['stores']>, unknown[]>[number];

@Global()
@Module({
  imports: [
    CacheBackendModule,
    NestCacheModule.registerAsync({
      imports: [CacheBackendModule],
      inject: [CACHE_BACKEND],
      // keyv ships a CommonJS and an ES build: our `require` gets the first, cache-manager's
      // `import` the second. TypeScript sees two classes; cache-manager takes any Keyv-shaped store.
      useFactory: (backend: CacheBackend) => ({ stores: [backend.keyv as unknown as KeyvStoreOption] }),
    }),
  ],
  providers: [AppCache, CacheResponseInterceptor, CacheReadinessCheck],
  exports: [AppCache, CacheResponseInterceptor, NestCacheModule],
})
export class ChassisCacheModule {}
