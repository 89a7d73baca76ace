'use strict';
/**
 * The chassis production build (dist/) with one bench-only feature added:
 * `GET /bench/ping`, an authenticated route (scope `items:read`) that does no
 * I/O, so scenario (a) measures the pipeline alone (and `GET /bench/public-ping`,
 * the same without authentication, for the layer table). It uses the real builder
 * (`createChassisApp` from dist/src/core/bootstrap), the real `CoreModule` and
 * `FeaturesModule` (through `AppModule.register`) and the real `serve()`; only
 * this module is added.
 *
 * Plain JavaScript over the compiled build, so src/ holds no bench code and
 * nothing is compiled twice: decorators are applied with `Reflect.decorate`,
 * as TypeScript's emitted code does.
 *
 *   node --max-semi-space-size=8 --require ./dist/src/instrumentation.js bench/servers/chassis-bench.js
 *   (bench/run.ts starts it with the Node arguments of `npm run start:prod`)
 */
const { Body, Controller, Get, Inject, Module, Post } = require('@nestjs/common');
const { randomUUID } = require('node:crypto');
const { DataSource } = require('typeorm');
const dist = (path) => require(`../../dist/src/${path}`);
const { createChassisApp } = dist('core/bootstrap/create-chassis-app');
const { serve } = dist('core/lifecycle/serve');
const { ConfigValidationError } = dist('core/config/config.error');
const { AppModule } = dist('app.module');
const { Public, Scopes, CurrentPrincipal, Idempotent, DomainEvents } = dist('core');
const { OutboxEvent } = dist('core/events/outbox-event.entity');
const { insertRow } = dist('core/database/row-insert');

class PingController {
  /** The caller's subject: proves the guard set the principal; no I/O. */
  ping(principal) {
    return { pong: true, subject: principal.subject };
  }

  /** The same answer without authentication: the layer table's "no auth" row (docs/performance.md). */
  publicPing() {
    return { pong: true, subject: 'anonymous' };
  }
}
const principalParam = (target, key) => CurrentPrincipal()(target, key, 0); // TypeScript's __param(0, ...)
Reflect.decorate(
  [Get('ping'), Scopes('items:read'), principalParam],
  PingController.prototype,
  'ping',
  Object.getOwnPropertyDescriptor(PingController.prototype, 'ping'),
);
Reflect.decorate(
  [Get('public-ping'), Public()],
  PingController.prototype,
  'publicPing',
  Object.getOwnPropertyDescriptor(PingController.prototype, 'publicPing'),
);
/** POST routes for `npm run bench -- --idempotency`: the body echoed, with and without `@Idempotent()`; no I/O. */
class EchoController {
  echo(body) {
    return { received: body };
  }

  echoIdempotent(body) {
    return { received: body };
  }
}
const bodyParam = (target, key) => Body()(target, key, 0);
Reflect.decorate(
  [Post('echo'), Scopes('items:write'), bodyParam],
  EchoController.prototype,
  'echo',
  Object.getOwnPropertyDescriptor(EchoController.prototype, 'echo'),
);
Reflect.decorate(
  [Post('echo-idempotent'), Scopes('items:write'), Idempotent(), bodyParam],
  EchoController.prototype,
  'echoIdempotent',
  Object.getOwnPropertyDescriptor(EchoController.prototype, 'echoIdempotent'),
);
Reflect.decorate([Controller('bench')], EchoController);

/**
 * POST routes for `npm run bench -- --outbox`: one row written in a transaction,
 * with and without a domain event published through the outbox in the same
 * transaction (bench_rows is created at boot; raw SQL keeps this module free of entities).
 */
class WriteController {
  constructor(dataSource, events) {
    this.dataSource = dataSource;
    this.events = events;
  }

  async onModuleInit() {
    await this.dataSource.query('CREATE TABLE IF NOT EXISTS bench_rows (id varchar(36) PRIMARY KEY, body text NOT NULL)');
  }

  write(body) {
    return this.dataSource.transaction((manager) => this.insert(manager, body));
  }

  writePublish(body) {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.insert(manager, body);
      await this.events.publish(manager, 'bench.written', { id: row.id });
      return row;
    });
  }

  /**
   * The outbox row alone: what `publish()` writes, without the nudge of this
   * process's relay after the commit (the worker's schedule relays it). Splits
   * the publishing route's cost into the row and the relay run.
   */
  writeOutboxRow(body) {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.insert(manager, body);
      const event = { id: randomUUID(), type: 'bench.written', payload: { id: row.id }, tenantId: '', origin: {} };
      await insertRow(manager, OutboxEvent, { ...event, createdAt: new Date(), publishedAt: null, attempts: 0 });
      return row;
    });
  }

  async insert(manager, body) {
    const id = randomUUID();
    const placeholders = this.dataSource.options.type === 'postgres' ? '($1, $2)' : '(?, ?)';
    await manager.query(`INSERT INTO bench_rows (id, body) VALUES ${placeholders}`, [id, JSON.stringify(body)]);
    return { id };
  }
}
Reflect.decorate(
  [Inject(DataSource), Inject(DomainEvents)].map((decorator, index) => (target) => decorator(target, undefined, index)),
  WriteController,
);
Reflect.decorate(
  [Post('write'), Scopes('items:write'), bodyParam],
  WriteController.prototype,
  'write',
  Object.getOwnPropertyDescriptor(WriteController.prototype, 'write'),
);
Reflect.decorate(
  [Post('write-publish'), Scopes('items:write'), bodyParam],
  WriteController.prototype,
  'writePublish',
  Object.getOwnPropertyDescriptor(WriteController.prototype, 'writePublish'),
);
Reflect.decorate(
  [Post('write-outbox-row'), Scopes('items:write'), bodyParam],
  WriteController.prototype,
  'writeOutboxRow',
  Object.getOwnPropertyDescriptor(WriteController.prototype, 'writeOutboxRow'),
);
Reflect.decorate([Controller('bench')], WriteController);
Reflect.decorate([Controller('bench')], PingController);

class BenchModule {}
Reflect.decorate([Module({ controllers: [PingController, EchoController, WriteController] })], BenchModule);

/** AppModule (CoreModule + FeaturesModule) exactly as main.ts builds it, plus the bench module. */
class BenchRootModule {}
Reflect.decorate([Module({})], BenchRootModule);
const root = (options) => ({ module: BenchRootModule, imports: [AppModule.register(options), BenchModule] });

createChassisApp(root, { env: process.env })
  .then(serve)
  .catch((error) => {
    process.stderr.write(`${error instanceof ConfigValidationError ? error.message : error.stack}\n`);
    process.exit(1);
  });
