import { Injectable } from '@nestjs/common';

/**
 * Where the process is in its life, shared by the readiness probe and the
 * shutdown sequence. Draining starts at the first SIGTERM/SIGINT: from then on
 * readiness answers 503 so load balancers stop sending traffic, while the
 * server keeps serving what still arrives.
 */
@Injectable()
export class LifecycleState {
  private drainingSince?: Date;

  /** True once shutdown has begun. */
  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Marks the start of the drain (idempotent). */
  beginDrain(): void {
    this.drainingSince ??= new Date();
  }
}
