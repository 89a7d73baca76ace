import { Body, Controller, Injectable, Module, Post } from '@nestjs/common';
import { Idempotent, Public } from '../../../src/core';

/** Counts handler runs (a replay runs none) and holds the slow route until the test opens it. */
@Injectable()
export class IdempotencyProbe {
  calls = 0;
  /** Resolves when the slow handler has started. */
  started!: Promise<void>;
  private markStarted!: () => void;
  private openGate!: () => void;
  private gate!: Promise<void>;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  async slow(): Promise<void> {
    this.markStarted();
    await this.gate;
  }

  open(): void {
    this.openGate();
  }
}

/** Test-only routes using `@Idempotent()` (authenticated, like every route). */
@Controller('idempotency-test')
class IdempotencyTestController {
  private failuresLeft = 1;

  constructor(private readonly probe: IdempotencyProbe) {}

  @Post('required')
  @Idempotent({ required: true })
  required(@Body() body: unknown): { call: number; body: unknown } {
    return { call: ++this.probe.calls, body };
  }

  /** Fails once with an unexpected error (500), then succeeds. */
  @Post('flaky')
  @Idempotent()
  flaky(): { call: number } {
    ++this.probe.calls;
    if (this.failuresLeft-- > 0) throw new Error('transient failure');
    return { call: this.probe.calls };
  }

  /** Waits for the test to open the gate. */
  @Post('slow')
  @Idempotent()
  async slow(): Promise<{ call: number }> {
    const call = ++this.probe.calls;
    await this.probe.slow();
    return { call };
  }
}

/** The same on a public route: keys belong to the client address there. */
@Public()
@Controller('idempotency-test/public')
class PublicIdempotencyTestController {
  constructor(private readonly probe: IdempotencyProbe) {}

  @Post()
  @Idempotent()
  create(): { call: number } {
    return { call: ++this.probe.calls };
  }
}

@Module({ controllers: [IdempotencyTestController, PublicIdempotencyTestController], providers: [IdempotencyProbe] })
export class IdempotencyTestModule {}
