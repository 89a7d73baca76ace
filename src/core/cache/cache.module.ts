import { Global, Module } from '@nestjs/common';
import { AppCache } from './app-cache';
import { CacheBackendModule } from './cache-backend.module';
import { CacheReadinessCheck } from './cache-readiness.check';
import { CacheResponseInterceptor } from './cache-response.interceptor';

/**
 * Caching for the whole app: {@link AppCache} (what features inject) and the
 * `@CacheResponse()` interceptor, over one Keyv store chosen at boot.
 * Why not `@nestjs/cache-manager`: docs/adr/0012-adapters-replaced.md.
 */
@Global()
@Module({
  imports: [CacheBackendModule],
  providers: [AppCache, CacheResponseInterceptor, CacheReadinessCheck],
  exports: [AppCache, CacheResponseInterceptor],
})
export class ChassisCacheModule {}
