import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ProbeController } from '../support/auth-probe.controller';
import { bootTestApp, type TestApp } from '../support/test-app';

// A file of its own: nestjs-pino keeps one root logger per process (module),
// so a second app booted in the same file would log into the first one's capture.

describe('authentication, roles claim path and development defaults (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ AUTH_ROLES_CLAIM: 'realm_access.roles' }, { controllers: [ProbeController] });
  });
  afterAll(async () => t.close());

  it('reads roles from a nested claim (Keycloak realm_access.roles)', async () => {
    const token = t.token({ realm_access: { roles: ['admin'] }, roles: ['ignored'] });
    const response = await t.app.inject({ method: 'GET', url: '/probe/me', headers: { authorization: `Bearer ${token}` } });
    expect(response.json().roles).toEqual(['admin']);
  });

  it('accepts tokens signed with the development secret when no key setting is given (test environment)', async () => {
    const token = t.token({ sub: 'dev' });
    const response = await t.app.inject({ method: 'GET', url: '/probe/admin', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(403);
    expect(t.logs.lines.some((line) => String(line.msg).includes('development secret'))).toBe(true);
  });

  it('accepts a token printed by `npm run token` (scripts/token.ts) with the same configuration', () => {
    const root = join(__dirname, '..', '..');
    const output = execFileSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'scripts/token.ts', '--sub', 'carol', '--scope', 'items:read', '--roles', 'admin'],
      { cwd: root, env: { PATH: process.env.PATH, NODE_ENV: 'test', AUTH_ROLES_CLAIM: 'realm_access.roles' }, encoding: 'utf8' },
    );
    const token = output.trim();
    return t.app.inject({ method: 'GET', url: '/probe/me', headers: { authorization: `Bearer ${token}` } }).then((response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ subject: 'carol', scopes: ['items:read'], roles: ['admin'] });
    });
  });
});
