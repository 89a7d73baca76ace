import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { JwksReadinessCheck } from './jwks-readiness.check';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { JwtKeyStore } from './keys/jwt-key-store';
import { JWT_KEY_STORE_PROVIDER } from './keys/jwt-key-store.factory';

/**
 * Authentication and authorization: the JWT strategy, the key store of the
 * configured mode, and the guard that makes every route authenticated unless
 * `@Public()` (made global by `GlobalGuardsModule`); in JWKS mode, the `jwks` readiness check.
 */
@Module({
  imports: [PassportModule],
  providers: [JWT_KEY_STORE_PROVIDER, JwtStrategy, JwksReadinessCheck, JwtAuthGuard],
  exports: [JwtKeyStore, JwtAuthGuard],
})
export class AuthModule {}
