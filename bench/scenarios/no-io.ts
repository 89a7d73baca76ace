import { join } from 'node:path';
import type { Bench } from '../bench';
import { JwksEndpoint, bearer } from '../identity';
import { type Measurement, type SideBySideRun, failures, pairedRatio, perRoundCpuEfficiency, round } from '../measurement';
import { BARE, CHASSIS_BENCH, PING, PLAIN_NEST, READY, productionEnv, settings } from '../settings';
import { median } from '../support';

/** Scenario (a) and its references: what each server measured, and JWKS against shared secret. */
export interface NoIoResult {
  bare: Measurement;
  plainNest: Measurement;
  aSecret: Measurement;
  aJwks: Measurement;
  sideBySide: SideBySideRun[][];
  /** JWKS req/s ÷ shared secret's, median of the side-by-side runs. */
  jwksToSecret: number;
  /** The same, median of the rounds in turns. */
  jwksToSecretInTurns: number;
  /** Errors, timeouts and non-2xx of either side, side by side. */
  sideBySideFailures: number;
}

/**
 * Scenario (a): an authenticated GET with no I/O (the pipeline alone), shared
 * secret (HS256) and JWKS (RS256, local HTTPS JWKS endpoint), in rounds with
 * bare Fastify and NestJS on Fastify; then JWKS against shared secret side by side.
 */
export async function noIoScenario(bench: Bench, secretEnv: Record<string, string>, secretAuth: string): Promise<NoIoResult> {
  console.log(
    'Bare Fastify, NestJS on Fastify and (a) authenticated GET with no I/O, shared secret (HS256) and JWKS (RS256, local HTTPS JWKS endpoint), in rounds',
  );
  const jwks = new JwksEndpoint(bench.workDir);
  const jwksUri = await jwks.start();
  const jwksEnv = productionEnv(bench.workDir, {
    AUTH_JWKS_URI: jwksUri,
    NODE_EXTRA_CA_CERTS: jwks.caFile,
    DATABASE_URL: `sqlite:${join(bench.workDir, 'app-jwks.sqlite')}`,
  });
  const jwksAuth = bearer(jwks.privateKey, 'RS256', 'items:read', jwks.kid);
  let measured: Measurement[];
  const sideBySide: SideBySideRun[][] = [];
  try {
    measured = await bench.withAll(
      [
        { nodeArgs: BARE, env: {}, readyPath: PING },
        { nodeArgs: PLAIN_NEST, env: {}, readyPath: PING },
        { nodeArgs: CHASSIS_BENCH, env: secretEnv, readyPath: READY },
        { nodeArgs: CHASSIS_BENCH, env: jwksEnv, readyPath: READY },
      ],
      ([bareServer, nestServer, secretServer, jwksServer]) =>
        bench.measureInRounds([
          { name: 'bare Fastify', server: bareServer, path: PING, headers: {} },
          { name: 'NestJS on Fastify, no chassis', server: nestServer, path: PING, headers: {} },
          { name: '(a) chassis, shared secret', server: secretServer, path: PING, headers: { authorization: secretAuth } },
          { name: '(a) chassis, JWKS', server: jwksServer, path: PING, headers: { authorization: jwksAuth } },
        ]),
    );
    console.log(
      `(a) JWKS against shared secret, side by side (both loaded at once, sharing the server core): ${settings.sideBySidePairs} pairs of fresh processes`,
    );
    // Fresh processes per pair: one process's JIT can settle a few per cent faster or slower than
    // another's running the same code (seen in A/A pairs of two shared-secret servers), which a
    // single pair would carry into the ratio.
    for (let pair = 1; pair <= settings.sideBySidePairs; pair++) {
      const env = (base: Record<string, string>, name: string) => ({
        ...base,
        DATABASE_URL: `sqlite:${join(bench.workDir, `side-by-side-${pair}-${name}.sqlite`)}`,
      });
      const specs = [
        { nodeArgs: CHASSIS_BENCH, env: env(secretEnv, 'secret'), readyPath: READY },
        { nodeArgs: CHASSIS_BENCH, env: env(jwksEnv, 'jwks'), readyPath: READY },
      ];
      sideBySide.push(
        await bench.withAll(specs, ([secretServer, jwksServer]) =>
          bench.measureSideBySide(
            { name: 'shared secret', server: secretServer, path: PING, headers: { authorization: secretAuth } },
            { name: 'JWKS', server: jwksServer, path: PING, headers: { authorization: jwksAuth } },
            settings.sideBySideRuns,
            `pair ${pair}/${settings.sideBySidePairs}`,
          ),
        ),
      );
    }
  } finally {
    await jwks.stop();
  }
  const [bare, plainNest, aSecret, aJwks] = measured;
  for (const m of [plainNest, aSecret, aJwks]) {
    m.ratioToBareFastify = pairedRatio(m, bare);
    m.cpuEfficiencyToBareFastify = round(median(perRoundCpuEfficiency(m, bare)), 3);
  }
  const jwksToSecretInTurns = pairedRatio(aJwks, aSecret);
  const jwksToSecret = round(median(sideBySide.flat().map((run) => run.ratio)), 3);
  // A refused request is answered faster than a served one: errors side by side count against the target too.
  const sideBySideFailures = sideBySide.flat().reduce((sum, run) => sum + failures(run.a) + failures(run.b), 0);
  aJwks.notes = `JWKS endpoint requests during the whole run: ${jwks.requests} (one per JWKS-mode server started)`;

  return { bare, plainNest, aSecret, aJwks, sideBySide, jwksToSecret, jwksToSecretInTurns, sideBySideFailures };
}
