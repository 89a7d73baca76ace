'use strict';
/**
 * The built app (dist/src/main.js) as it starts in production, which prints
 * one more JSON line when it exits: the files it loaded from each package
 * in node_modules (`require.cache`, which also lists ES modules loaded by `require()`). For test/process/startup.process-spec.ts:
 * a start loads only the clients its configuration uses (cold start, docs/performance.md#cold-start).
 */
process.on('exit', () => {
  /** Package name -> its files loaded, relative to the package's folder. */
  const files = {};
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(file);
    if (match) (files[match[1]] ??= []).push(match[2]);
  }
  for (const list of Object.values(files)) list.sort();
  // Synchronous on a pipe (Linux): written before the process ends.
  process.stdout.write(`${JSON.stringify({ msg: 'Loaded packages', files })}\n`);
});
require('../../dist/src/main.js');
