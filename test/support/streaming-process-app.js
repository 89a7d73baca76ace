'use strict';
/**
 * The built app (dist/, as `npm run start:prod` runs it) with one test-only
 * stream route, for the shutdown process test: `GET /test/streaming/idle`
 * sends one event, then nothing until the stream is ended. Plain JavaScript
 * over the build, so the process runs exactly the shipped code.
 */
const { Controller, Get, Module } = require('@nestjs/common');
const { AppModule } = require('../../dist/src/app.module');
const { createChassisApp } = require('../../dist/src/core/bootstrap/create-chassis-app');
const { serve } = require('../../dist/src/core/lifecycle/serve');
const { EventStream } = require('../../dist/src/core');

class StreamingProcessController {
  async *idle() {
    yield { event: 'hello', data: 'hi' };
    await new Promise(() => undefined);
  }
}
const proto = StreamingProcessController.prototype;
Object.defineProperty(
  proto,
  'idle',
  Reflect.decorate([Get('idle'), EventStream()], proto, 'idle', Object.getOwnPropertyDescriptor(proto, 'idle')),
);
Reflect.decorate([Controller('test/streaming')], StreamingProcessController);

class StreamingProcessModule {}
Reflect.decorate([Module({ controllers: [StreamingProcessController] })], StreamingProcessModule);

createChassisApp((options) => ({ module: class StreamingProcessRoot {}, imports: [AppModule.register(options), StreamingProcessModule] }), {
  env: process.env,
})
  .then((app) => serve(app))
  .catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
