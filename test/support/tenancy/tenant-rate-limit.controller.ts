import { Controller, Get } from '@nestjs/common';
import { CurrentTenant, Public, SkipThrottle } from '../../../src/core';

/** Test-only routes for the per-tenant aggregate rate limit: a limited route, an unlimited one and a public one. */
@Controller('tenant-limit-test')
export class TenantRateLimitController {
  @Get('ping')
  ping(@CurrentTenant() tenant: string | undefined) {
    return { tenant };
  }

  @Get('unlimited')
  @SkipThrottle()
  unlimited() {
    return { ok: true };
  }

  @Get('public')
  @Public()
  open() {
    return { ok: true };
  }
}
