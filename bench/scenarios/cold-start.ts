import { execFileSync } from 'node:child_process';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import type { Bench } from '../bench';
import { MAIN, READY, settings } from '../settings';
import { ROOT, Server, freePort, median } from '../support';

export interface ColdStarts {
  runsMs: number[];
  medianMs: number;
}

/**
 * Cold starts of several configurations in turns: each round starts every
 * configuration once, in an order that rotates, so a slow spell of the host
 * falls on all of them rather than on whichever was measured then.
 */
async function coldStarts(bench: Bench, variants: { label: string; env: Record<string, string> }[]): Promise<ColdStarts[]> {
  const runsMs = variants.map((): number[] => []);
  for (let round = 0; round < settings.coldStarts; round++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (round + k) % variants.length;
      const server = Server.spawn(bench.pin.server, MAIN, variants[index].env, await freePort(), bench.logFile);
      try {
        runsMs[index].push(Math.round(await server.waitFor200(READY)));
      } finally {
        await server.stop();
      }
    }
  }
  return variants.map(({ label }, index) => {
    console.log(`  cold start, ${label}: ${runsMs[index].join(', ')} ms → median ${median(runsMs[index])} ms`);
    return { runsMs: runsMs[index], medianMs: median(runsMs[index]) };
  });
}

/**
 * Node's module compile cache (NODE_COMPILE_CACHE, Node >= 22.1) filled as the
 * container image fills it (docker/fill-compile-cache.js: one production start
 * and stop, tracing on); its directory, or undefined on a Node without the
 * cache (Node 20; the image runs Node 24).
 */
function fillCompileCache(bench: Bench): string | undefined {
  if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache !== 'function') {
    console.log(`  cold start with the compile cache: not measured (Node ${process.version} has none)`);
    return undefined;
  }
  const cacheDir = join(bench.workDir, 'compile-cache');
  execFileSync(process.execPath, ['docker/fill-compile-cache.js', ...MAIN], {
    cwd: ROOT,
    env: { ...process.env, NODE_COMPILE_CACHE: cacheDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return cacheDir;
}

/** Cold start medians: tracing off and on, and the same with the compile cache when Node has one. */
export interface ColdStartResult {
  tracingOff: ColdStarts;
  tracingOn: ColdStarts;
  compileCache?: { tracingOff: ColdStarts; tracingOn: ColdStarts };
}

/** Cold start: process start to the first 200 from the readiness probe, on SQLite already migrated, in production. */
export async function coldStartScenario(bench: Bench, secretEnv: Record<string, string>): Promise<ColdStartResult> {
  console.log(`Cold start (process start → first 200 from ${READY}; SQLite, migrated; production)`);
  const coldEnv = { ...secretEnv, DATABASE_MIGRATIONS_RUN: 'false' };
  const closedPort = String(await freePort()); // nothing listens: spans are dropped, as with an unreachable collector
  const tracedEnv = { ...coldEnv, OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closedPort}` };
  const cacheDir = fillCompileCache(bench);
  const variants = [
    { label: 'tracing off', env: coldEnv },
    { label: 'tracing on', env: tracedEnv },
    ...(cacheDir
      ? [
          { label: 'tracing off, compile cache (as in the image)', env: { ...coldEnv, NODE_COMPILE_CACHE: cacheDir } },
          { label: 'tracing on, compile cache (as in the image)', env: { ...tracedEnv, NODE_COMPILE_CACHE: cacheDir } },
        ]
      : []),
  ];
  const [tracingOff, tracingOn, cachedOff, cachedOn] = await coldStarts(bench, variants);
  return { tracingOff, tracingOn, ...(cachedOff ? { compileCache: { tracingOff: cachedOff, tracingOn: cachedOn } } : {}) };
}
