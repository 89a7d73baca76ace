'use strict';
/**
 * Reference: NestJS on Fastify with nothing of the chassis: one controller,
 * no logger, no guards, no hooks. What Nest itself costs on top of bare
 * Fastify, so the chassis's own cost reads as the difference (docs/performance.md).
 * Plain JavaScript, decorators applied with `Reflect.decorate`; PORT from the
 * environment. `GET /health/ready` only so the bench's readiness wait works.
 */
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');

class PingController {
  ping() {
    return { pong: true };
  }
  ready() {
    return { status: 'ok' };
  }
}
Reflect.decorate([Get('bench/ping')], PingController.prototype, 'ping', Object.getOwnPropertyDescriptor(PingController.prototype, 'ping'));
Reflect.decorate(
  [Get('health/ready')],
  PingController.prototype,
  'ready',
  Object.getOwnPropertyDescriptor(PingController.prototype, 'ready'),
);
Reflect.decorate([Controller()], PingController);
class PingModule {}
Reflect.decorate([Module({ controllers: [PingController] })], PingModule);

NestFactory.create(PingModule, new FastifyAdapter(), { logger: false })
  .then((app) => app.listen(Number(process.env.PORT), '127.0.0.1'))
  .catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
