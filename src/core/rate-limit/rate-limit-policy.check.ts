import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { ConfigValidationError } from '../config/config.error';
import { RATE_LIMIT_POLICY_KEY } from './rate-limit-policy.decorator';

/**
 * Fails the boot when a `@RateLimitPolicy(name)` names a policy missing from
 * RATE_LIMIT_POLICIES, instead of failing the first request to that route.
 */
@Injectable()
export class RateLimitPolicyCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const missing = new Set<string>();
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!controller) continue;
      const names = [this.reflector.get<string | undefined>(RATE_LIMIT_POLICY_KEY, controller)];
      for (const method of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, () => unknown>)[method];
        names.push(this.reflector.get<string | undefined>(RATE_LIMIT_POLICY_KEY, handler));
      }
      for (const name of names) if (name !== undefined && !(name in this.config.rateLimit.policies)) missing.add(name);
    }
    if (missing.size > 0) {
      throw new ConfigValidationError(
        [...missing].map(
          (name) => `RATE_LIMIT_POLICIES: @RateLimitPolicy('${name}') is used but no policy "${name}" is configured (e.g. ${name}=10/60)`,
        ),
      );
    }
  }
}
