import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { REDIS_CLIENT } from '../redis/redis.tokens';

/** Who a ticket admits: the principal that asked for it, as the authentication guard had set it. */
export type TicketHolder = NonNullable<FastifyRequest['principal']>;

interface StoredTicket {
  holder: TicketHolder;
  path: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** A ticket as issued: the opaque value and how long it is valid, in seconds. */
export interface IssuedTicket {
  ticket: string;
  path: string;
  expiresInSeconds: number;
}

/**
 * Stream tickets (docs/streaming.md#browsers): short-lived (SSE_TICKET_TTL_SECONDS),
 * single-use, opaque values bound to a principal and a stream path, so a
 * browser's `EventSource`, which cannot send `Authorization`, can open a
 * stream with `?ticket=`. Kept in Redis when `REDIS_URL` is set (consumed
 * with `GETDEL`, atomic across replicas), in this process's memory otherwise.
 * Only a hash of the ticket is stored: a leaked store does not leak tickets.
 */
@Injectable()
export class StreamTickets {
  private readonly memory = new Map<string, StoredTicket>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {}

  /** A new ticket for `holder` to open the stream at `path` (a path, no query) once. */
  async issue(holder: TicketHolder, path: string): Promise<IssuedTicket> {
    const ticket = randomBytes(32).toString('base64url');
    const ttlSeconds = this.config.streaming.ticketTtlSeconds;
    const stored: StoredTicket = { holder, path, expiresAt: Date.now() + ttlSeconds * 1000 };
    if (this.redis) await this.redis.set(this.keyOf(ticket), JSON.stringify(stored), 'PX', ttlSeconds * 1000);
    else {
      this.dropExpired();
      this.memory.set(this.keyOf(ticket), stored);
    }
    return { ticket, path, expiresInSeconds: ttlSeconds };
  }

  /**
   * Uses up `ticket` for a request to `path`: its holder when it was issued for that path and has not
   * expired nor been used; undefined otherwise (a ticket presented for another path is used up too).
   */
  async consume(ticket: string, path: string): Promise<TicketHolder | undefined> {
    if (ticket.length === 0 || ticket.length > 128) return undefined;
    const key = this.keyOf(ticket);
    let stored: StoredTicket | undefined;
    if (this.redis) {
      const text = await this.redis.getdel(key);
      stored = text === null ? undefined : (JSON.parse(text) as StoredTicket);
    } else {
      stored = this.memory.get(key);
      this.memory.delete(key);
    }
    if (stored === undefined || stored.expiresAt <= Date.now() || stored.path !== path) return undefined;
    return stored.holder;
  }

  private keyOf(ticket: string): string {
    return `${this.config.streaming.ticketKeyPrefix}${createHash('sha256').update(ticket).digest('base64url')}`;
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [key, stored] of this.memory) if (stored.expiresAt <= now) this.memory.delete(key);
  }
}
