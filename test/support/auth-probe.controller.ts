import { Controller, Get } from '@nestjs/common';
import { CurrentPrincipal, Public, Roles, Scopes, type Principal } from '../../src/core';

/** Routes exercising every decorator of the core auth API. */
@Controller('probe')
export class ProbeController {
  @Public()
  @Get('public')
  open(@CurrentPrincipal() principal: Principal | undefined) {
    return { principal: principal ?? null };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Get('admin')
  @Roles('admin')
  admin() {
    return { ok: true };
  }

  @Get('reports')
  @Scopes('reports:read', 'reports:export')
  @Roles('auditor', 'admin')
  reports() {
    return { ok: true };
  }
}
