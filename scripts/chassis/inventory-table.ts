import type { RouteInventoryEntry, ThrottleSummary } from '../../src/core/contract/route-inventory';

const COLUMNS = ['METHOD', 'PATH', 'AUTH', 'SCOPES', 'ROLES', 'THROTTLE', 'CACHE', 'BODY LIMIT', 'BODY / STREAM', 'OWNER'] as const;

/** The route inventory as a plain-text table for people (`npm run chassis:routes`). */
export function formatInventoryTable(routes: readonly RouteInventoryEntry[]): string {
  const rows = routes.map((r) => [
    r.method,
    r.path,
    r.auth === 'public' && r.publicWriteReason ? 'public (reason given)' : r.auth,
    r.scopes.join(' ') || '-',
    r.roles.join(' ') || '-',
    formatThrottle(r.throttle),
    r.cacheTtlSeconds === null ? '-' : `${r.cacheTtlSeconds}s`,
    r.bodyLimitBytes === null ? '-' : formatBytes(r.bodyLimitBytes),
    r.stream
      ? 'event stream'
      : r.body === null
        ? '-'
        : `${r.body.field === null ? r.body.type : `field ${r.body.field}`}${r.body.validated ? '' : ' (unvalidated)'}`,
    r.source === 'fastify' ? 'fastify' : `${r.feature ? 'feature' : 'core'} ${r.controller}.${r.handler}`,
  ]);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** `default 100/60s`, `skipped`, `disabled` (RATE_LIMIT_ENABLED=false). */
export function formatThrottle(throttle: ThrottleSummary): string {
  if (throttle.kind !== 'policy') return throttle.kind;
  return `${throttle.policy} ${throttle.limit}/${throttle.windowSeconds}s`;
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}
