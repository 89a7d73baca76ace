import { AsyncResource } from 'node:async_hooks';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager, In, LessThan } from 'typeorm';
import { withTimeout } from '../async/with-timeout';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import type { JobEnvelope } from '../jobs/job-envelope';
import { JobsEngine } from '../jobs/jobs.engine';
import { queueSettings, type QueueSettings } from '../jobs/queue-settings';
import { DOMAIN_EVENTS_QUEUE, outboxQueue, type DomainEventJob } from './events.queues';
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
 *   so concurrent runs (a schedule's and a replica's nudge) never take the same row
 *   (in-process: no transaction, and at most that many events in the queue at once);
 * - each row becomes a job whose id is the event's id (a second hand-over of
 *   the same event is the same job), the run's jobs added together (on Redis
 *   in one round trip, all or none), then the rows are marked published. A
 *   queue that does not answer within `REDIS_CONNECT_TIMEOUT_SECONDS` ends the
 *   run; its rows stay pending (their `attempts` counted) for the next run;
 * - runs come from the outbox's schedule (once per cluster) and from a nudge
 *   after each local commit that published an event, `OUTBOX_RELAY_NUDGE_DELAY_SECONDS`
 *   later: the commits within that delay share one run (under load a run per commit
 *   cost more than the commit, docs/performance.md); runs in one process never
 *   overlap, and the nudges that come during a run make one more run, not one each.
 *   A `PROCESS_ROLE=api` process on Redis runs none itself: its nudge becomes a relay
 *   job of the outbox queue for the workers (at most one per delay), so request-serving
 *   processes never relay;
 *   a run that moved a full batch runs again (a backlog drains at once, not a batch per interval);
 * - the gauges are refreshed after a run at most once per {@link OUTBOX_GAUGES_REFRESH_MS}
 *   (one query), and once more at the end of that interval when a run was skipped.
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
  private readonly outboxSettings: QueueSettings;
  /** Events handed to the in-process queue, not yet handled (in-process engine only). */
  private readonly inFlight = new Set<string>();
  // Created at boot: nudged runs happen outside the request that committed (its tenant, its signal).
  private readonly detached = new AsyncResource('chassis.outbox');
  private readonly gauges = new ThrottledRefresh(
    OUTBOX_GAUGES_REFRESH_MS,
    () => this.observe(),
    (error) => this.logger.warn({ err: error }, 'Outbox gauges could not be refreshed'),
  );
  private readonly published = new CoalescedWrites((ids) => this.writePublished(ids), MARK_BATCH);
  /** In-process engine: delivered events whose row could not be marked published yet (still in flight). */
  private readonly unmarked = new Set<string>();
  private running: Promise<void> | undefined;
  /** A nudged run waiting for its delay; later nudges join it. */
  private nudged: NodeJS.Timeout | undefined;
  private again = false;
  /** In-process engine: the last run found the queue holding `OUTBOX_BATCH_SIZE` events; rows may be waiting. */
  private full = false;
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly engine: JobsEngine,
    private readonly metrics: OutboxMetrics,
  ) {
    this.settings = queueSettings(DOMAIN_EVENTS_QUEUE, config);
    this.outboxSettings = queueSettings(outboxQueue(config), config);
  }

  /**
   * Asks for a run in `OUTBOX_RELAY_NUDGE_DELAY_SECONDS`, outside the caller's context;
   * the nudges until then join that run, and a run already going runs once more after.
   */
  nudge(): void {
    if (this.closed || this.nudged !== undefined) return;
    this.detached.runInAsyncScope(() => {
      this.nudged = setTimeout(() => {
        this.nudged = undefined;
        void this.relayNudged().catch(() => undefined);
      }, this.config.outbox.relayNudgeDelaySeconds * 1000);
    });
  }

  /** The run a nudge asked for: here, or handed to the workers by a `PROCESS_ROLE=api` process on Redis (it runs no worker). */
  private relayNudged(): Promise<void> {
    return this.config.jobs.role === 'api' && this.engine.kind === 'redis' ? this.handOff() : this.run();
  }

  /**
   * Asks the workers for a relay run: a job of the outbox queue (its own id: a run
   * already done must not swallow the request of a later commit). A queue that does
   * not answer leaves the events to the schedule (logged).
   */
  private async handOff(): Promise<void> {
    try {
      await this.queueBounded(this.engine.add(this.outboxSettings, { payload: { task: 'relay' }, origin: {} }, {}), 'outbox');
    } catch (error) {
      this.logger.warn({ err: error }, "Outbox relay run not handed to the workers; the outbox's schedule relays the events");
    }
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

  /**
   * In-process engine: the event's handlers have all run; its row is marked published
   * soon after, with the rows of the events handled meanwhile (one `UPDATE`; a failed one
   * is retried at the next run). The job does not wait for it: a process that dies first
   * delivers the event again after its restart, and the inbox skips the handlers that had committed.
   */
  delivered(eventId: string): void {
    if (this.engine.kind === 'in-process') this.markPublished(eventId);
  }

  private markPublished(eventId: string): void {
    this.published.add(eventId).then(
      () => this.settled(eventId),
      (error: unknown) => {
        this.logger.warn({ eventId, err: error }, 'Outbox relay could not mark a delivered event published; retried at the next run');
        this.unmarked.add(eventId);
      },
    );
  }

  private settled(eventId: string): void {
    this.inFlight.delete(eventId);
    // A run that found the queue full left rows pending: claim them once half the room is back.
    if (this.full && this.inFlight.size <= this.config.outbox.batchSize / 2) {
      this.full = false;
      this.nudge();
    }
  }

  /** Deletes published outbox rows and inbox records older than `OUTBOX_RETENTION_HOURS`. */
  async housekeeping(now = Date.now()): Promise<void> {
    const before = new Date(now - this.config.outbox.retentionHours * 3600 * 1000);
    const outbox = await this.dataSource.getRepository(OutboxEvent).delete({ publishedAt: LessThan(before) });
    const inbox = await this.dataSource.getRepository(ProcessedEvent).delete({ processedAt: LessThan(before) });
    this.logger.log({ outboxRows: outbox.affected ?? 0, processedEvents: inbox.affected ?? 0 }, 'Outbox housekeeping done');
  }

  async beforeApplicationShutdown(): Promise<void> {
    // A nudged run still waiting for its delay runs now: its events are not left to another replica's schedule.
    if (this.nudged !== undefined) {
      clearTimeout(this.nudged);
      this.nudged = undefined;
      await this.relayNudged();
    }
    this.closed = true;
    await this.running;
    await this.published.flushed();
    await this.gauges.close();
  }

  private async relayBatch(): Promise<void> {
    if (this.closed) return;
    if (this.engine.kind === 'in-process') await this.moveToLocalQueue();
    else {
      const batch = this.config.outbox.batchSize;
      // A full batch: more rows may be waiting (a backlog); the run goes on rather than leave them to the schedule.
      if ((await this.dataSource.transaction((manager) => this.moveClaimed(manager, batch))) === batch) this.again = true;
    }
    await this.gauges.ask();
  }

  /**
   * In-process engine: no transaction (one process relays, and a row stays pending until
   * {@link delivered}); at most `OUTBOX_BATCH_SIZE` events in the queue at once, so a
   * backlog waits in the table and each claim skips at most that many rows in flight.
   */
  private async moveToLocalQueue(): Promise<void> {
    for (const eventId of this.unmarked) this.markPublished(eventId);
    this.unmarked.clear();
    const room = this.config.outbox.batchSize - this.inFlight.size;
    const moved = room > 0 ? await this.moveClaimed(this.dataSource.manager, room) : 0;
    if (moved === room) this.full = true;
  }

  private async writePublished(ids: string[]): Promise<void> {
    await this.dataSource.getRepository(OutboxEvent).update({ id: In(ids) }, { publishedAt: new Date() });
  }

  /** Hands up to `limit` pending rows to the queue; resolves to how many it handed over (0 when the queue failed). */
  private async moveClaimed(manager: EntityManager, limit: number): Promise<number> {
    const rows = await this.claim(manager, limit);
    if (rows.length === 0) return 0;
    const ids = rows.map((row) => row.id);
    try {
      await this.queueBounded(
        this.engine.addMany(
          this.settings,
          rows.map((row) => ({ envelope: envelopeOf(row), jobId: row.id })),
        ),
        'events',
      );
    } catch (error) {
      this.logger.warn({ eventIds: ids, err: error }, 'Outbox relay could not hand events to the queue; they stay pending');
      await manager.increment(OutboxEvent, { id: In(ids) }, 'attempts', 1);
      return 0;
    }
    if (this.engine.kind === 'in-process') for (const id of ids) this.inFlight.add(id);
    else await manager.getRepository(OutboxEvent).update(ids, { publishedAt: new Date() });
    return rows.length;
  }

  /** `work` on a queue, or a rejection once `REDIS_CONNECT_TIMEOUT_SECONDS` have passed (a hung Redis must not hold the relay). */
  private queueBounded<T>(work: Promise<T>, queue: 'events' | 'outbox'): Promise<T> {
    return withTimeout(work, this.config.redis.connectTimeoutSeconds * 1000, () => new Error(`the ${queue} queue did not answer in time`));
  }

  /** The pending rows this run moves, locked on Redis (PostgreSQL: skipping rows another run holds). */
  private claim(manager: EntityManager, limit: number): Promise<OutboxEvent[]> {
    const query = manager
      .getRepository(OutboxEvent)
      .createQueryBuilder('event')
      .where('event.published_at IS NULL')
      .orderBy('event.created_at', 'ASC')
      .limit(limit);
    if (this.inFlight.size > 0) query.andWhere('event.id NOT IN (:...inFlight)', { inFlight: [...this.inFlight] });
    // In-process the claim runs outside a transaction: nothing to lock (one process relays).
    if (this.dataSource.options.type === 'postgres' && this.engine.kind !== 'in-process') {
      query.setLock('pessimistic_write').setOnLocked('skip_locked');
    }
    return query.getMany();
  }

  /**
   * Updates the outbox gauges from the table: the count and the oldest pending row in one
   * query, so both describe the same moment (two queries could see a row inserted between them in one and not the other).
   */
  private async observe(): Promise<void> {
    const metadata = this.dataSource.getMetadata(OutboxEvent);
    const raw = await this.dataSource
      .getRepository(OutboxEvent)
      .createQueryBuilder('event')
      .select('COUNT(*)', 'pending')
      .addSelect('MIN(event.created_at)', 'oldest')
      .where('event.published_at IS NULL')
      .getRawOne<{ pending: number | string; oldest: unknown }>();
    const createdAt = metadata.findColumnWithPropertyName('createdAt');
    const oldest =
      raw?.oldest == null || !createdAt ? undefined : (this.dataSource.driver.prepareHydratedValue(raw.oldest, createdAt) as Date);
    this.metrics.observed(Number(raw?.pending ?? 0), oldest);
  }
}

/** The job of an outbox row: the event, with the publishing request's origin (ids, tenant, subject, trace context). */
function envelopeOf(row: OutboxEvent): JobEnvelope {
  const job: DomainEventJob = { id: row.id, type: row.type, payload: row.payload, occurredAt: row.createdAt.toISOString() };
  return { payload: { ...job }, origin: row.origin };
}
