import { Global, Module } from '@nestjs/common';
import { DependencyBreakers } from './dependency-breakers';

/**
 * Circuit breakers per dependency ({@link DependencyBreakers}), for the
 * Redis stores, the JWKS key source and the database connection.
 * Why cockatiel: docs/adr/0014-circuit-breaker.md.
 */
@Global()
@Module({
  providers: [DependencyBreakers],
  exports: [DependencyBreakers],
})
export class CircuitBreakerModule {}
