'use strict';
/**
 * autocannon with a fresh `Idempotency-Key` on every request, printing the
 * same JSON as `autocannon --json` (its CLI cannot put a per-request id in a
 * header: `[<id>]` in `-H` breaks its argument parser).
 *
 *   node bench/autocannon-fresh-keys.js <url> <connections> <seconds> <method> <headers JSON> [body]
 */
const autocannon = require('autocannon');
const { randomUUID } = require('node:crypto');

const [url, connections, seconds, method, headers, body] = process.argv.slice(2);
autocannon(
  {
    url,
    connections: Number(connections),
    duration: Number(seconds),
    method,
    headers: JSON.parse(headers),
    body,
    requests: [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } }) }],
  },
  (error, result) => {
    if (error) {
      process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    }
    process.stdout.write(JSON.stringify(result));
  },
);
