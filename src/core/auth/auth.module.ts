import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { JwksReadinessCheck } from './jwks-readiness.check';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { JwtKeyStore } from './keys/jwt-key-store';
import { JWT_KEY_STORE_PROVIDER } from './keys/jwt-key-store.factory';

/**
 * Authentication and authorization: the JWT strategy, the key store of the
 * configured mode, and the global guard that makes every route
 * authenticated unless `@Public()`; in JWKS mode, the `jwks` readiness check.
 */
@Module({
  imports: [PassportModule],
  providers: [JWT_KEY_STORE_PROVIDER, JwtStrategy, JwksReadinessCheck, { provide: APP_GUARD, useClass: JwtAuthGuard }],
  exports: [JwtKeyStore],
})
export class AuthModule {}
