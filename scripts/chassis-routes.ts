/**
 * Prints every route the app serves with its effective policies:
 * authentication (public / authenticated), scopes, roles, rate-limit policy,
 * response caching, request body limit and body validation.
 *
 *   npm run chassis:routes            # a table, for people
 *   npm run chassis:routes -- --json  # JSON, for tools (RouteInventoryEntry[])
 *
 * Read from the running app (booted on in-memory SQLite), not from source.
 */
import { parseArgs } from 'node:util';
import { formatInventoryTable } from './chassis/inventory-table';
import { inspectRoutes } from './chassis/inspect-app';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  const routes = await inspectRoutes();
  process.stdout.write(values.json ? `${JSON.stringify(routes, null, 2)}\n` : `${formatInventoryTable(routes)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`chassis:routes: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
