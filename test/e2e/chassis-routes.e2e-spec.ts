import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Body, Controller, Delete, Module, Post } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { CacheResponse, Public, PublicWrite, RateLimitPolicy, Roles, Scopes, SkipThrottle, Throttle } from '../../src/core';
import { routeInventory, type RouteInventoryEntry } from '../../src/core/contract/route-inventory';
import { checkInventoryRules } from '../../scripts/chassis/inventory-rules';
import { formatInventoryTable } from '../../scripts/chassis/inventory-table';
import { FeaturesModule } from '../../src/features/features.module';
import { bootTestApp, type TestApp } from '../support/test-app';

const root = join(__dirname, '..', '..');

class NoteDto {
  @IsString()
  @MaxLength(100)
  text!: string;
}
interface NoteShape {
  text: string;
}

/** A feature that breaks both route rules, and one route of each kind the inventory must describe. */
@Controller('fixture-notes')
class FixtureNotesController {
  @Post('open')
  @Public()
  openWrite(@Body() body: NoteDto) {
    return body;
  }

  @Post('justified')
  @PublicWrite('signed webhook: the handler verifies an HMAC signature')
  justified(@Body() body: NoteDto) {
    return body;
  }

  @Post('unchecked')
  @Scopes('notes:write')
  unchecked(@Body() body: NoteShape) {
    return body;
  }

  @Post('field')
  @Scopes('notes:write')
  field(@Body('text') text: string) {
    return text;
  }

  @Post('checked')
  @Scopes('notes:write')
  @Roles('editor')
  @Throttle({ default: { limit: 5, ttl: 10_000 } })
  checked(@Body() body: NoteDto) {
    return body;
  }

  @Delete('cached')
  @SkipThrottle()
  @CacheResponse(30)
  @RateLimitPolicy('login')
  cached() {
    return {};
  }
}

@Module({ controllers: [FixtureNotesController] })
class FixtureNotesModule {}

describe('route inventory and route rules (fixture feature)', () => {
  let t: TestApp;
  let routes: RouteInventoryEntry[];
  const route = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path)!;
  beforeAll(async () => {
    t = await bootTestApp({ RATE_LIMIT_POLICIES: 'login=7/60' }, { after: [FixtureNotesModule] });
    routes = routeInventory(t.app, { featureRoot: FixtureNotesModule });
  });
  afterAll(async () => t.close());

  it('reads each policy the decorators set, as the guards see them', () => {
    expect(route('POST', '/fixture-notes/checked')).toMatchObject({
      auth: 'authenticated',
      scopes: ['notes:write'],
      roles: ['editor'],
      throttle: { kind: 'policy', policy: 'route', limit: 5, windowSeconds: 10 },
      cacheTtlSeconds: null,
      bodyLimitBytes: 1024 * 1024,
      body: { type: 'NoteDto', field: null, validated: true },
      feature: true,
    });
    expect(route('DELETE', '/fixture-notes/cached')).toMatchObject({ throttle: { kind: 'skipped' }, cacheTtlSeconds: 30, body: null });
    expect(route('POST', '/fixture-notes/justified')).toMatchObject({ auth: 'public', publicWriteReason: expect.stringContaining('HMAC') });
    expect(route('GET', '/items')).toMatchObject({
      throttle: { kind: 'policy', policy: 'default', limit: 100, windowSeconds: 60 },
      bodyLimitBytes: null,
    });
    expect(route('GET', '/health/ready')).toMatchObject({ auth: 'public', throttle: { kind: 'skipped' }, feature: false, source: 'nest' });
  });

  it('and the app behaves as the inventory says: the public write answers without a token, the scoped one needs its scope', async () => {
    const open = await t.app.inject({ method: 'POST', url: '/fixture-notes/open', payload: { text: 'hi' } });
    expect(open.statusCode).toBe(201);
    const scoped = await t.app.inject({
      method: 'POST',
      url: '/fixture-notes/checked',
      payload: { text: 'hi' },
      headers: t.authHeader({ sub: 'x', scope: 'notes:write' }),
    });
    expect(scoped.statusCode).toBe(403);
    expect(scoped.json()).toMatchObject({ missingRoles: ['editor'] });
  });

  it('chassis:check rules: a public write without a reason, an unvalidated body, a single body field', () => {
    const violations = checkInventoryRules(routes);
    expect(violations.map((v) => `${v.rule} ${v.route}`).sort()).toEqual([
      'feature-body-needs-dto POST /fixture-notes/field',
      'feature-body-needs-dto POST /fixture-notes/unchecked',
      'public-write-needs-reason POST /fixture-notes/open',
    ]);
    expect(violations.find((v) => v.route === 'POST /fixture-notes/open')!.message).toContain('@PublicWrite');
    expect(
      checkInventoryRules(routes, [{ route: 'POST /fixture-notes/open', why: 'allowed in this fixture' }]).map((v) => v.route),
    ).not.toContain('POST /fixture-notes/open');
  });

  it('prints a table with one row per route', () => {
    const table = formatInventoryTable(routes).split('\n');
    expect(table).toHaveLength(routes.length + 2);
    expect(table.find((line) => line.startsWith('POST    /fixture-notes/checked'))).toMatch(
      /authenticated\s+notes:write\s+editor\s+route 5\/10s\s+-\s+1 MiB\s+NoteDto/,
    );
  });
});

describe('npm run chassis:routes (the script, against the real app)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(async () => t.close());

  const run = (...args: string[]) =>
    spawnSync(join(root, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'scripts/chassis-routes.ts', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'test' },
    });

  it('--json lists exactly the routes and policies of the running app', () => {
    const result = run('--json');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(routeInventory(t.app, { featureRoot: FeaturesModule }))));
  }, 60_000);

  it('prints the table by default, and the project’s own routes satisfy the route rules', () => {
    const result = run();
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^POST\s+\/items\s+authenticated\s+items:write\s+-\s+default 100\/60s\s+-\s+1 MiB\s+CreateItemDto\s+feature ItemsController\.create$/m,
    );
    expect(checkInventoryRules(routeInventory(t.app, { featureRoot: FeaturesModule }))).toEqual([]);
  }, 60_000);
});
