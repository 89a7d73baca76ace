/**
 * Prints a bearer token for local development, signed with the shared
 * secret of the current configuration (the development secret unless
 * AUTH_JWT_SECRET is set in the environment or `.env`), with the configured
 * issuer and audience.
 *
 *   npm run token -- --sub alice --scope "items:read items:write" [--roles admin,ops] [--tenant acme] [--expires-in 3600]
 *
 * `--tenant` sets the tenant claim (TENANT_CLAIM, else `tenant_id`; docs/tenancy.md).
 *
 * Only for secret mode: with a public key or a JWKS, tokens come from the
 * identity provider.
 */
import { createSecretKey } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sign, type Algorithm } from 'jsonwebtoken';
import { readDotEnv } from '../src/core/config/dot-env';
import { loadConfig } from '../src/core/settings/load-config';

function main(): void {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string', default: 'alice' },
      scope: { type: 'string', default: '' },
      roles: { type: 'string', default: '' },
      tenant: { type: 'string' },
      'expires-in': { type: 'string', default: '3600' },
    },
  });
  const { auth, tenancy } = loadConfig({ ...readDotEnv(), ...process.env });
  if (auth.mode !== 'secret' || auth.secret === undefined) {
    throw new Error(
      `npm run token signs with a shared secret; this configuration uses ${auth.mode} mode (get a token from your identity provider)`,
    );
  }
  const expiresInSeconds = Number(values['expires-in']);
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds <= 0) throw new Error('--expires-in must be a positive number of seconds');
  const roles = (values.roles ?? '').split(',').filter((role) => role.length > 0);
  const payload = {
    sub: values.sub,
    ...(values.scope ? { scope: values.scope } : {}),
    ...(roles.length > 0 ? { [auth.rolesClaim]: roles } : {}),
    ...(values.tenant !== undefined ? { [tenancy.claim ?? 'tenant_id']: values.tenant } : {}),
    ...(auth.issuers ? { iss: auth.issuers[0] } : {}),
    ...(auth.audiences ? { aud: auth.audiences[0] } : {}),
  };
  const token = sign(payload, createSecretKey(Buffer.from(auth.secret, 'utf8')), {
    algorithm: auth.algorithms[0] as Algorithm, // secret mode: always HS*
    expiresIn: expiresInSeconds,
  });
  process.stdout.write(`${token}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
