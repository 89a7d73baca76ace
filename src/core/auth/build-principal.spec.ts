import { InvalidTokenError } from './auth.errors';
import { buildPrincipal } from './build-principal';

const options = { rolesClaim: 'roles', clockToleranceSeconds: 30, nowSeconds: 1_000 };
const base = { sub: 'alice', iss: 'https://idp/', aud: 'api', exp: 2_000, iat: 990 };

describe('buildPrincipal', () => {
  it('maps the standard claims, scopes from scope and scp, and roles', () => {
    const principal = buildPrincipal({ ...base, scope: 'a b  a', scp: ['c'], roles: ['admin', 7] }, options);
    expect(principal).toMatchObject({
      subject: 'alice',
      issuer: 'https://idp/',
      audience: ['api'],
      scopes: ['a', 'b', 'c'],
      roles: ['admin'],
    });
    expect(Object.isFrozen(principal) && Object.isFrozen(principal.scopes) && Object.isFrozen(principal.claims)).toBe(true);
  });

  it('reads roles from a dot path, or from a top-level claim whose name contains dots', () => {
    expect(buildPrincipal({ ...base, realm_access: { roles: ['r'] } }, { ...options, rolesClaim: 'realm_access.roles' }).roles).toEqual([
      'r',
    ]);
    const auth0 = 'https://example.com/roles';
    expect(buildPrincipal({ ...base, [auth0]: ['editor'] }, { ...options, rolesClaim: auth0 }).roles).toEqual(['editor']);
    expect(buildPrincipal({ ...base, 'cognito:groups': 'ops' }, { ...options, rolesClaim: 'cognito:groups' }).roles).toEqual(['ops']);
    expect(buildPrincipal({ ...base, realm_access: 'x' }, { ...options, rolesClaim: 'realm_access.roles' }).roles).toEqual([]);
  });

  it('reads the tenant from its claim (name, dot path or namespaced name) only with tenancy on, and only when well-formed', () => {
    expect(buildPrincipal({ ...base, tenant_id: 'acme' }, options)).not.toHaveProperty('tenant');
    expect(buildPrincipal({ ...base, tenant_id: 'acme' }, { ...options, tenantClaim: 'tenant_id' }).tenant).toBe('acme');
    expect(buildPrincipal({ ...base, org: { id: 'org:42' } }, { ...options, tenantClaim: 'org.id' }).tenant).toBe('org:42');
    const auth0 = 'https://example.com/tenant';
    expect(buildPrincipal({ ...base, [auth0]: 'a.b_c-d' }, { ...options, tenantClaim: auth0 }).tenant).toBe('a.b_c-d');
    for (const bad of [undefined, '', 42, ['acme'], 'with space', 'slash/x', 'x'.repeat(129)]) {
      expect(buildPrincipal({ ...base, tenant_id: bad }, { ...options, tenantClaim: 'tenant_id' }).tenant).toBeUndefined();
    }
    expect(buildPrincipal({ ...base, tenant_id: 'x'.repeat(128) }, { ...options, tenantClaim: 'tenant_id' }).tenant).toHaveLength(128);
  });

  it('refuses a token without sub or exp, and one issued in the future', () => {
    expect(() => buildPrincipal({ ...base, sub: undefined }, options)).toThrow(new InvalidTokenError('missing sub claim'));
    expect(() => buildPrincipal({ ...base, exp: undefined }, options)).toThrow(new InvalidTokenError('missing exp claim'));
    expect(() => buildPrincipal({ ...base, iat: 1_031 }, options)).toThrow(new InvalidTokenError('iat in the future'));
    expect(buildPrincipal({ ...base, iat: 1_030 }, options).subject).toBe('alice');
  });
});
