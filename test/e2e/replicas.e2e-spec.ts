import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { Public } from '../../src/core';
import { bootTestReplicas, type TestApp } from '../support/test-app';

/** Lets the background work of every replica run once all have booted (see the test). */
let releaseBackgroundWork!: () => void;
const backgroundWorkReleased = new Promise<void>((resolve) => {
  releaseBackgroundWork = resolve;
});

/** Logs through Nest's process-wide `Logger` outside any request: work scheduled at boot. */
@Injectable()
class BackgroundWork implements OnApplicationBootstrap {
  private readonly logger = new Logger('BackgroundWork');
  done!: Promise<void>;

  onApplicationBootstrap(): void {
    this.done = backgroundWorkReleased.then(() => this.logger.log('background work done'));
  }
}

/** Logs through Nest's process-wide `Logger` inside a request. */
@Controller('replica-probe')
class ReplicaProbeController {
  private readonly logger = new Logger('ReplicaProbe');

  @Public()
  @Get()
  probe(): { ok: true } {
    this.logger.log('probe handled');
    return { ok: true };
  }
}

@Module({ providers: [BackgroundWork], controllers: [ReplicaProbeController] })
class ReplicaProbeModule {}

/**
 * Several replicas of the service in one test (test/support's bootTestReplicas):
 * one database, emptied once, and each replica's log lines in its own capture,
 * including the lines logged outside a request through process-wide loggers.
 */
describe('replicas in one test', () => {
  let dir: string;
  let replicas: TestApp[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chassis-replicas-'));
    replicas = await bootTestReplicas(2, { DATABASE_URL: `sqlite:${join(dir, 'shared.sqlite')}` }, { after: [ReplicaProbeModule] });
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('share one database: what one replica writes, the other reads (the second boot did not empty it)', async () => {
    const [a, b] = replicas;
    const scope = 'items:read items:write';
    const created = await a.app.inject({
      method: 'POST',
      url: '/items',
      payload: { sku: 'REPLICA-1', name: 'Shared', priceCents: 100, currency: 'EUR' },
      headers: a.authHeader({ sub: 'alice', scope }),
    });
    expect(created.statusCode).toBe(201);
    const read = await b.app.inject({ method: 'GET', url: `/items/${created.json().id}`, headers: b.authHeader({ sub: 'alice', scope }) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ sku: 'REPLICA-1', ownerId: 'alice' });
  });

  it("keep each replica's boot lines in its own capture, once", () => {
    for (const replica of replicas) {
      expect(replica.logs.withMessage('Starting Nest application...')).toHaveLength(1);
      // Dropped (ChassisNestLogger): it said "started" before listening; the ready line of serve() is the success line.
      expect(replica.logs.withMessage('Nest application successfully started')).toHaveLength(0);
    }
  });

  // After every boot: Nest buffers its Logger's lines process-wide while an app boots, and that app flushes them.
  it('put a line logged outside a request (work scheduled at boot) in the capture of the replica that wrote it', async () => {
    releaseBackgroundWork();
    await Promise.all(replicas.map((replica) => replica.app.get(BackgroundWork).done));
    for (const replica of replicas) {
      expect(replica.logs.withMessage('background work done')).toHaveLength(1);
    }
  });

  it("put a line logged in a request through Nest's Logger in the capture of the replica that served it", async () => {
    const [a, b] = replicas;
    expect((await b.app.inject({ method: 'GET', url: '/replica-probe' })).statusCode).toBe(200);
    expect(b.logs.withMessage('probe handled')).toHaveLength(1);
    expect(a.logs.withMessage('probe handled')).toHaveLength(0);
  });
});
