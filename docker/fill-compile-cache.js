// Fills Node's module compile cache at image build time (docker/Dockerfile, stage
// compile-cache). Node >= 22.1 keeps the V8 code cache of every module it compiles in
// the directory NODE_COMPILE_CACHE names, and writes it when the process exits
// (https://nodejs.org/api/module.html#module-compile-cache). So this script starts the
// app once, exactly as the image's CMD does (the arguments after the script's name are
// CMD's after "node"), waits for a 200 from /health/ready, and stops it with SIGTERM.
//
//   NODE_COMPILE_CACHE=/app/.compile-cache node fill-compile-cache.js \
//     --max-semi-space-size=8 --require ./dist/src/instrumentation.js dist/src/main.js
//
// The start is a production one (NODE_ENV=production) on a throwaway SQLite file with a
// random HS256 secret, and with tracing on, so the OpenTelemetry modules are cached too
// (its exporter points at a closed local port: spans are dropped). Any failure to boot,
// to answer ready within 60 s, to stop cleanly, or to leave a cache fails the build:
// it means the production start is broken.
'use strict';
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, readdirSync, rmSync } = require('node:fs');
const http = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const BOOT_TIMEOUT_MS = 60_000;
const PORT = '39990';
const CLOSED_PORT = '39991';

function fail(message) {
  process.stderr.write(`fill-compile-cache: ${message}\n`);
  process.exit(1);
}

const cacheDir = process.env.NODE_COMPILE_CACHE;
if (!cacheDir) fail('NODE_COMPILE_CACHE is not set');
const nodeArgs = process.argv.slice(2);
if (nodeArgs.length === 0) fail('usage: node fill-compile-cache.js <the node arguments of the image CMD>');

const dataDir = mkdtempSync(join(tmpdir(), 'fill-compile-cache-'));
const env = {
  ...process.env,
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT,
  LOG_LEVEL: 'warn',
  DATABASE_URL: `sqlite:${join(dataDir, 'app.sqlite')}`,
  DATABASE_MIGRATIONS_RUN: 'true',
  AUTH_JWT_SECRET: randomBytes(48).toString('base64url'),
  AUTH_JWT_ISSUER: 'https://compile-cache.invalid',
  AUTH_JWT_AUDIENCE: 'compile-cache',
  OTEL_SDK_DISABLED: 'false',
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${CLOSED_PORT}`,
  SHUTDOWN_DELAY_SECONDS: '0',
};
let stopping = false; // set once the app is ready and SIGTERM is on its way
const app = spawn(process.execPath, nodeArgs, { env, stdio: 'inherit' });
app.on('exit', (code, signal) => {
  if (!stopping) fail(`the app exited before it was ready (code ${code}, signal ${signal})`);
});

/** Resolves with the HTTP status of GET /health/ready, or 0 when nothing answers yet. */
function readyStatus() {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port: PORT, path: '/health/ready', timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

async function main() {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while ((await readyStatus()) !== 200) {
    if (Date.now() > deadline) fail(`no 200 from /health/ready within ${BOOT_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  stopping = true;
  const code = await new Promise((resolve) => {
    app.once('exit', (exitCode) => resolve(exitCode));
    app.kill('SIGTERM');
  });
  rmSync(dataDir, { recursive: true, force: true });
  if (code !== 0) fail(`the app exited with code ${code} on SIGTERM`);
  const entries = readdirSync(cacheDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
  if (entries === 0) fail(`the app left no compile cache in ${cacheDir} (Node ${process.version} may not support it)`);
  process.stdout.write(`fill-compile-cache: ${entries} cached modules in ${cacheDir}\n`);
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
