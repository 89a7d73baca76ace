'use strict';
/**
 * The reference: bare Fastify (the same fastify version as the chassis), no
 * logger, one route returning a small JSON. Plain JavaScript so nothing but
 * Fastify runs. PORT from the environment; prints "listening" when ready.
 */
const fastify = require('fastify')({ logger: false });

fastify.get('/bench/ping', async () => ({ pong: true }));

fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }).then(
  () => process.stdout.write('listening\n'),
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
process.on('SIGTERM', () => fastify.close().then(() => process.exit(0)));
