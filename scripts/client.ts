/**
 * Generates the typed client's schema from the OpenAPI document:
 * `npm run client` writes `client/openapi.json` (`npm run openapi`), then
 * this writes `client/schema.d.ts` from it with openapi-typescript. The
 * client (`client/index.ts`, openapi-fetch) is typed by that file alone.
 *
 * Rerun after any change to a route, a DTO or an entity (a new feature from
 * `nest g resource` included); `test/e2e/client.e2e-spec.ts` fails while the
 * committed files differ from what the code generates.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the client lives, relative to the repository root. */
export const CLIENT_DIR = join(__dirname, '..', 'client');

/**
 * The part of openapi-typescript used here. Its CommonJS typings (what a
 * CommonJS file sees) declare only the default export, while at run time
 * both of its builds have every export: typed by hand, narrowly.
 */
interface OpenApiTypescript {
  default(source: object): Promise<unknown>;
  astToString(ast: unknown): string;
  COMMENT_HEADER: string;
}

/** The TypeScript source openapi-typescript generates for `document` (with its do-not-edit header). */
export async function clientSchemaSource(document: object): Promise<string> {
  const { default: openapiTS, astToString, COMMENT_HEADER } = (await import('openapi-typescript')) as unknown as OpenApiTypescript;
  const ast = await openapiTS(document);
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

async function main(): Promise<void> {
  const document = JSON.parse(readFileSync(join(CLIENT_DIR, 'openapi.json'), 'utf8')) as object;
  const out = join(CLIENT_DIR, 'schema.d.ts');
  writeFileSync(out, await clientSchemaSource(document));
  process.stdout.write(`client: wrote ${out}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
