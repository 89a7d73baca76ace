#!/usr/bin/env node
/**
 * Makes a clone ready to run on the project's Node (the `node-<platform>`
 * package of package.json's optionalDependencies, Node 24 LTS), whatever Node
 * the machine has: `npm start` and `npm test` run it first (prestart/pretest),
 * `.ci/run` runs it instead of a bare `npm ci`.
 *
 *   node scripts/setup.js              install if needed, else return at once
 *   node scripts/setup.js --node-home  print the directory of the project's Node
 *
 * Ready means: this process already runs on the project's Node (npm scripts find
 * `node_modules/.bin/node` first), `node_modules` is newer than package-lock.json,
 * and better-sqlite3 loads. Otherwise it fetches that Node from the npm registry
 * into a cache outside the repository (NEST_CHASSIS_CACHE, default
 * ~/.cache/nest-chassis) and runs `npm ci` with it first on PATH, so npm checks
 * engines against Node 24 (no EBADENGINE warning) and node-gyp builds native
 * modules against its headers; after an `npm ci` run on another Node, only
 * better-sqlite3 is rebuilt. Plain Node: it runs before any dependency exists.
 */
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, renameSync } = require('node:fs');
const { homedir, tmpdir } = require('node:os');
const { delimiter, join } = require('node:path');

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const platformPackage = `node-${process.platform}-${process.arch}`;
const version = pkg.optionalDependencies?.[platformPackage];

function fail(message) {
  process.stderr.write(`setup: ${message}\n`);
  process.exit(1);
}

/** The project's Node for this platform, fetched into the cache if needed; undefined without a package. */
function nodeHome() {
  if (!version) return undefined;
  const cache = process.env.NEST_CHASSIS_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nest-chassis');
  const home = join(cache, `${platformPackage}-${version}`);
  if (existsSync(join(home, 'bin', 'node'))) return home;
  process.stderr.write(`setup: fetching Node ${version} (${platformPackage}) from the npm registry into ${cache}\n`);
  mkdirSync(cache, { recursive: true });
  const download = mkdtempSync(join(tmpdir(), 'nest-chassis-node-'));
  try {
    const tarball = execFileSync('npm', ['pack', '--silent', `${platformPackage}@${version}`], { cwd: download, encoding: 'utf8' }).trim();
    const unpacked = join(download, 'node');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(download, tarball), '-C', unpacked, '--strip-components=1']);
    renameSync(unpacked, home);
  } finally {
    rmSync(download, { recursive: true, force: true });
  }
  return home;
}

function onProjectNode() {
  return version ? process.version === `v${version}` : Number(process.versions.node.split('.')[0]) === 24;
}

/** `node_modules` was installed after the last change of package-lock.json. */
function installed() {
  const hidden = join(root, 'node_modules', '.package-lock.json');
  return existsSync(hidden) && statSync(hidden).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs;
}

/** better-sqlite3 loads in this Node (it does not when npm ci ran on another Node's headers). */
function nativeModulesLoad() {
  try {
    const Database = require(join(root, 'node_modules', 'better-sqlite3'));
    new Database(':memory:').close();
    return true;
  } catch {
    return false;
  }
}

/** Runs npm with the project's Node first on PATH and node-gyp pointed at its headers. */
function npm(args, why) {
  const modules = join(root, 'node_modules');
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    fail('node_modules is a link to another checkout: run npm ci there, not here');
  }
  const home = nodeHome();
  if (!home && Number(process.versions.node.split('.')[0]) !== 24) {
    fail(`no ${platformPackage} Node package: install Node ${pkg.engines.node} yourself (nvm install 24), then npm ci`);
  }
  const env = { ...process.env };
  if (home) {
    env.PATH = [join(home, 'bin'), env.PATH].join(delimiter);
    // node-gyp builds better-sqlite3 against this Node's headers, not a machine-wide nodedir.
    env.npm_config_nodedir = home;
  }
  process.stderr.write(`setup: npm ${args[0]} on Node ${version ?? process.versions.node} (${why})\n`);
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  // npm prints nothing while better-sqlite3 compiles; off a terminal (CI, a pipe) it has no
  // spinner either, so minutes pass in silence: a line every 20 s says it is still working.
  const heartbeat = process.stderr.isTTY
    ? undefined
    : setInterval(() => process.stderr.write(`setup: npm ${args[0]} still running (${seconds()} s)...\n`), 20_000);
  const child = spawn('npm', [...args, '--no-audit', '--no-fund'], { cwd: root, env, stdio: 'inherit' });
  child.on('error', (error) => fail(`npm ${args[0]} could not start: ${error.message}`));
  child.on('exit', (code, signal) => {
    clearInterval(heartbeat);
    if (code !== 0) fail(`npm ${args[0]} failed (exit ${code ?? signal})`);
    process.stderr.write(`setup: npm ${args[0]} done in ${seconds()} s\n`);
  });
}

if (process.argv.includes('--node-home')) {
  const home = nodeHome();
  if (!home) fail(`no ${platformPackage} Node package for this platform`);
  process.stdout.write(`${home}\n`);
} else if (!onProjectNode() || !installed()) {
  npm(['ci'], 'first time: about 2 minutes, better-sqlite3 compiles from source');
} else if (!nativeModulesLoad()) {
  // npm ci ran on another Node: only the native module has to be built again.
  npm(['rebuild', 'better-sqlite3'], 'it was built for another Node: about 80 s');
}
