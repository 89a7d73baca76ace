import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { AppCache } from '../../../src/core';

/** Test-only routes writing feature keys of their own choosing into {@link AppCache}, the same keys for every tenant. */
@Controller('tenant-cache-test')
export class TenantCacheController {
  private loads = 0;

  constructor(private readonly cache: AppCache) {}

  @Put('notes/:key')
  @HttpCode(204)
  async put(@Param('key') key: string, @Body() body: { text: string }) {
    await this.cache.set(`notes:${key}`, body.text);
  }

  @Get('notes/:key')
  async get(@Param('key') key: string) {
    return { text: (await this.cache.get<string>(`notes:${key}`)) ?? null };
  }

  @Delete('notes')
  @HttpCode(204)
  async invalidate() {
    await this.cache.invalidatePrefix('notes:');
  }

  /** Cache-aside with a count of loads: each tenant loads its own value once. */
  @Get('wrapped')
  async wrapped() {
    return { load: await this.cache.wrap('wrapped', 60, () => Promise.resolve(++this.loads)) };
  }
}
