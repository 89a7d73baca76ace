/**
 * Writes the service's OpenAPI document to a file without starting the
 * server: `npm run openapi [-- --out client/openapi.json]`.
 *
 * `npm run openapi` builds first: the DTO schemas come from the
 * `@nestjs/swagger` CLI plugin, which runs in `nest build` (not under
 * ts-node), so the document is read from the built app in `dist/`. The app is
 * assembled with `createApp` on an in-memory SQLite database, never listens,
 * and is closed. The document depends on the code only (no `.env`, no
 * environment): the same commit always writes the same file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '../src/core/config/app-config';

interface BuiltApp {
  createApp(overrides: { env: Record<string, string> }): Promise<NestFastifyApplication>;
}
interface BuiltOpenApi {
  createOpenApiDocument(app: NestFastifyApplication, config: AppConfig): OpenAPIObject;
}
interface BuiltConfigTokens {
  APP_CONFIG: symbol | string;
}

/** The environment the document is built in: development defaults, nothing from the machine. */
export const OPENAPI_BUILD_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'development',
  DATABASE_URL: 'sqlite::memory:',
  LOG_LEVEL: 'error',
  OPENAPI_ENABLED: 'false',
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'client/openapi.json' } } });
  const dist = join(__dirname, '..', 'dist', 'src');
  /* eslint-disable @typescript-eslint/no-require-imports -- the built app, loaded at run time */
  const { createApp } = require(join(dist, 'app.js')) as BuiltApp;
  const { createOpenApiDocument } = require(join(dist, 'core', 'openapi', 'openapi.js')) as BuiltOpenApi;
  const { APP_CONFIG } = require(join(dist, 'core', 'config', 'config.tokens.js')) as BuiltConfigTokens;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const app = await createApp({ env: { ...OPENAPI_BUILD_ENV } });
  try {
    const document = createOpenApiDocument(app, app.get<AppConfig>(APP_CONFIG));
    const out = resolve(values.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`openapi: wrote ${out} (${Object.keys(document.paths).length} paths)\n`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
