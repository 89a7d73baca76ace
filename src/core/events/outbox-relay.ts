import { AsyncResource } from 'node:async_hooks';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager, In, IsNull, LessThan } from 'typeorm';
import { withTimeout } from '../async/with-timeout';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import type { JobEnvelope } from '../jobs/job-envelope';
import { JobsEngine } from '../jobs/jobs.engine';
import { queueSettings, type QueueSettings } from '../jobs/queue-settings';
import { DOMAIN_EVENTS_QUEUE, type DomainEventJob } from './events.queues';
import { OutboxEvent } from './outbox-event.entity';
import { OutboxMetrics } from './outbox.metrics';
import { ProcessedEvent } from './processed-event.entity';
import { CoalescedWrites } from './coalesced-writes';
import { ThrottledRefresh } from './throttled-refresh';

/** The outbox gauges are refreshed at most once per this many milliseconds (docs/jobs.md#metrics). */
export const OUTBOX_GAUGES_REFRESH_MS = 1000;
/** At most this many ids in one `UPDATE … WHERE id IN (…)` (SQLite allows 999 parameters in older builds). */
const MARK_BATCH = 500;

/**
 * Moves committed outbox rows to the events queue (docs/jobs.md):
 *
 * - one run claims up to `OUTBOX_BATCH_SIZE` pending rows, oldest first, in
 *   a short transaction; on PostgreSQL with `SELECT … FOR UPDATE SKIP LOCKED`,
 *   so concurrent runs (a schedule's and a replica's nudge) never take the same row;
 * - each row becomes a job whose id is the event's id (a second hand-over of
 *   the same event is the same job), then the row is marked published. A queue
 *   that does not answer within `REDIS_CONNECT_TIMEOUT_SECONDS` ends the run;
 *   its rows stay pending (their `attempts` counted) for the next run;
 * - runs come from the outbox's schedule (once per cluster) and from a nudge
 *   after each local commit that published an event; runs in one process never
 *   overlap, and the nudges that come during a run make one more run, not one each;
 * - the gauges are refreshed after a run at most once per {@link OUTBOX_GAUGES_REFRESH_MS}
 *   (two queries), and once more at the end of that interval when a run was skipped.
 *
 * Without Redis the queue lives in this process's memory, so a row is marked
 * published only once its handlers have run ({@link delivered}; the rows of
 * the events handled meanwhile in one `UPDATE`): after a restart the rows
 * still pending are delivered again, and the inbox skips the handlers that had committed.
 */
@Injectable()
export class OutboxRelay implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly settings: QueueSettings;
  /** Events handed to the in-process queue, not yet handled (in-process engine only). */
  private readonly inFlight = new Set<string>();
  // Created at boot: nudged runs happen outside the request that committed (its tenant, its signal).
  private readonly detached = new AsyncResource('chassis.outbox');
  private readonly gauges = new ThrottledRefresh(
    OUTBOX_GAUGES_REFRESH_MS,
    () => this.observe(),
    (error) => this.logger.warn({ err: error }, 'Outbox gauges could not be refreshed'),
  );
  private readonly published = new CoalescedWrites((ids) => this.markPublished(ids), MARK_BATCH);
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly engine: JobsEngine,
    private readonly metrics: OutboxMetrics,
  ) {
    this.settings = queueSettings(DOMAIN_EVENTS_QUEUE, config);
  }

  /** Asks for a run soon, outside the caller's context; a run already going runs once more after. */
  nudge(): void {
    if (this.closed) return;
    this.detached.runInAsyncScope(() => setImmediate(() => void this.run().catch(() => undefined)));
  }

  /** One run now (or after the one going, once more); resolves when it is over. Failures are logged, never thrown. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const running = (async () => {
      do {
        this.again = false;
        await this.relayBatch().catch((error: unknown) =>
          this.logger.warn({ err: error }, 'Outbox relay run failed; pending events wait for the next run'),
        );
      } while (this.again && !this.closed);
    })().finally(() => (this.running = undefined));
    this.running = running;
    return running;
  }

  /** In-process engine: the event's handlers have all run; the row is published. */
  async delivered(eventId: string): Promise<void> {
    if (this.engine.kind !== 'in-process') return;
    await this.published.add(eventId);
    this.inFlight.delete(eventId);
  }

  /** Deletes published outbox rows and inbox records older than `OUTBOX_RETENTION_HOURS`. */
  async housekeeping(now = Date.now()): Promise<void> {
    const before = new Date(now - this.config.outbox.retentionHours * 3600 * 1000);
    const outbox = await this.dataSource.getRepository(OutboxEvent).delete({ publishedAt: LessThan(before) });
    const inbox = await this.dataSource.getRepository(ProcessedEvent).delete({ processedAt: LessThan(before) });
    this.logger.log({ outboxRows: outbox.affected ?? 0, processedEvents: inbox.affected ?? 0 }, 'Outbox housekeeping done');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.running;
    await this.gauges.close();
  }

  private async relayBatch(): Promise<void> {
    if (this.closed) return;
    await this.dataSource.transaction((manager) => this.moveClaimed(manager));
    await this.gauges.ask();
  }

  private async markPublished(ids: string[]): Promise<void> {
    await this.dataSource.getRepository(OutboxEvent).update({ id: In(ids) }, { publishedAt: new Date() });
  }

  private async moveClaimed(manager: EntityManager): Promise<void> {
    const rows = await this.claim(manager);
    const published: string[] = [];
    for (const row of rows) {
      try {
        await withTimeout(
          this.engine.add(this.settings, envelopeOf(row), { jobId: row.id }),
          this.config.redis.connectTimeoutSeconds * 1000,
          () => new Error('the events queue did not answer in time'),
        );
      } catch (error) {
        this.logger.warn({ eventId: row.id, err: error }, 'Outbox relay could not hand an event to the queue; it stays pending');
        await manager.increment(OutboxEvent, { id: row.id }, 'attempts', 1);
        break;
      }
      if (this.engine.kind === 'in-process') this.inFlight.add(row.id);
      else published.push(row.id);
    }
    if (published.length > 0) await manager.getRepository(OutboxEvent).update(published, { publishedAt: new Date() });
  }

  /** The pending rows this run moves, locked (PostgreSQL: skipping rows another run holds). */
  private claim(manager: EntityManager): Promise<OutboxEvent[]> {
    const query = manager
      .getRepository(OutboxEvent)
      .createQueryBuilder('event')
      .where('event.published_at IS NULL')
      .orderBy('event.created_at', 'ASC')
      .limit(this.config.outbox.batchSize);
    if (this.inFlight.size > 0) query.andWhere('event.id NOT IN (:...inFlight)', { inFlight: [...this.inFlight] });
    if (this.dataSource.options.type === 'postgres') query.setLock('pessimistic_write').setOnLocked('skip_locked');
    return query.getMany();
  }

  /** Updates the outbox gauges from the table (a count and the oldest pending row). */
  private async observe(): Promise<void> {
    const repository = this.dataSource.getRepository(OutboxEvent);
    const pending = { publishedAt: IsNull() };
    const [count, oldest] = await Promise.all([
      repository.countBy(pending),
      repository.findOne({ where: pending, order: { createdAt: 'ASC' }, select: { id: true, createdAt: true } }),
    ]);
    this.metrics.observed(count, oldest?.createdAt);
  }
}

/** The job of an outbox row: the event, with the publishing request's origin (ids, tenant, subject, trace context). */
function envelopeOf(row: OutboxEvent): JobEnvelope {
  const job: DomainEventJob = { id: row.id, type: row.type, payload: row.payload, occurredAt: row.createdAt.toISOString() };
  return { payload: { ...job }, origin: row.origin };
}
