import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere, Raw, Repository } from 'typeorm';
import {
  AppCache,
  assertPrecondition,
  ConflictError,
  deleteIfCurrent,
  DomainEvents,
  EventHub,
  NotFoundError,
  type Page,
  type Precondition,
  type Principal,
  type ServerSentEvent,
  toOrder,
  updateIfCurrent,
} from '../../core';
import type { CreateItemDto } from './dto/create-item.dto';
import type { ListItemsQuery } from './dto/list-items.query';
import type { ListItemHistoryQuery } from './dto/list-item-history.query';
import type { UpdateItemDto } from './dto/update-item.dto';
import { ItemHistory, type ItemEventType } from './entities/item-history.entity';
import { Item } from './entities/item.entity';

/** The role that may read every owner's items (but change only its own). */
export const ITEMS_ADMIN_ROLE = 'admin';

/**
 * The cache key of one item as its owner reads it. Keys are per owner (and
 * per tenant with tenancy on: one subject may exist in two tenants), so a
 * cached item can only ever be served to the principal it belongs to.
 */
export function itemCacheKey(ownerId: string, id: string, tenant?: string): string {
  return tenant === undefined ? `items:${ownerId}:${id}` : `items:${tenant}:${ownerId}:${id}`;
}

/** The payload of the `item.created`, `item.updated` and `item.deleted` domain events. */
export interface ItemEvent {
  id: string;
  ownerId: string;
  /** The tenant, with tenancy on. */
  tenantId?: string;
  /** The version after the change; on a delete, the version deleted. */
  version: number;
  /** The fields set: all on a create, the changed ones on an update; absent on a delete. */
  changes?: Record<string, unknown>;
}

/** The fields an event's `changes` may carry (never the owner or tenant). */
const EVENT_FIELDS = ['sku', 'name', 'description', 'priceCents', 'currency'] as const;

/** The hub topic of one owner's item changes (per tenant with tenancy on: the hub scopes topics). */
export function itemChangesTopic(ownerId: string): string {
  return `items:${ownerId}`;
}

/** A committed change of an item, as `GET /items/events` streams it (`event:` is the kind). */
export type ItemChange = { kind: 'created' | 'updated'; item: Item } | { kind: 'deleted'; item: Pick<Item, 'id' | 'ownerId'> };

/**
 * Catalogue items, each owned by the principal that created it. No HTTP
 * here: failures are domain errors the chassis maps.
 *
 * Ownership is part of every query, so another owner's item is simply not
 * found (404, no hint that it exists: no IDOR). An `admin` may read all.
 * With tenancy on, all of this holds within the request's tenant: the
 * chassis scopes every query on `Item` (`@TenantScoped()`, docs/tenancy.md).
 * An owner's reads of one item are cached (cache-aside, `CACHE_TTL_SECONDS`);
 * updates and deletes invalidate. Every change publishes its domain event
 * (`item.created`, `item.updated`, `item.deleted`) in its own transaction,
 * through the chassis's outbox (docs/jobs.md); `ItemHistoryRecorder` turns
 * them into the item's history. Every committed change is also announced
 * to the owner's live stream (`GET /items/events`, {@link changes}) right
 * after its commit, by the request that made it: a live view needs the
 * owner's changes in order, which the outbox's handlers (at least once, in
 * parallel on every worker) do not give.
 */
@Injectable()
export class ItemsService {
  constructor(
    @InjectRepository(Item) private readonly items: Repository<Item>,
    @InjectRepository(ItemHistory) private readonly history: Repository<ItemHistory>,
    private readonly dataSource: DataSource,
    private readonly events: DomainEvents,
    private readonly cache: AppCache,
    private readonly hub: EventHub,
  ) {}

  /** @throws ConflictError when the sku is taken (skus are unique per tenant, across owners). */
  async create(principal: Principal, input: CreateItemDto): Promise<Item> {
    await this.assertSkuFree(input.sku);
    const created = await this.dataSource.transaction(async (manager) => {
      const items = manager.getRepository(Item);
      const item = await items.save(items.create({ ...input, description: input.description ?? null, ownerId: principal.subject }));
      await this.publish(manager, 'item.created', principal, item, item);
      return item;
    });
    await this.announce({ kind: 'created', item: created });
    return created;
  }

  /**
   * The principal's own item changes as they happen, after those it missed
   * since `lastEventId` while still in the replay window (else a `reset`
   * event first: reload the list). Ends when `signal` aborts.
   */
  changes(principal: Principal, lastEventId: string | undefined, signal: AbortSignal): AsyncIterable<ServerSentEvent> {
    return this.hub.subscribe(itemChangesTopic(principal.subject), { lastEventId, signal });
  }

  async list(principal: Principal, query: ListItemsQuery): Promise<Page<Item>> {
    const [items, total] = await this.items.findAndCount({
      where: { ...readableBy(principal), ...(query.q ? { name: containsIgnoringCase(query.q) } : {}) },
      order: { ...toOrder<keyof Item>(query.sort), id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total, limit: query.limit, offset: query.offset };
  }

  /**
   * One item: the principal's own from the cache (a missing item is not
   * cached); for an admin, another owner's item from the database, uncached.
   * @throws NotFoundError when no item with this id is readable by the principal.
   */
  async get(principal: Principal, id: string): Promise<Item> {
    const own = await this.cache.wrap(itemCacheKey(principal.subject, id, principal.tenant), undefined, () => this.findOwn(principal, id));
    if (own) return own;
    if (principal.roles.includes(ITEMS_ADMIN_ROLE)) return this.find({ id }, id);
    throw notFound(id);
  }

  /**
   * Applies the changes; the version goes up by one. With an If-Match
   * precondition, a concurrent change in between (another request, another
   * replica) makes this update fail (412) rather than be overwritten.
   * @throws NotFoundError (not the principal's item), ConflictError (the new sku is taken),
   *   PreconditionFailedError (the item is no longer at the version the client read).
   */
  async update(principal: Principal, id: string, changes: UpdateItemDto, precondition: Precondition = { kind: 'none' }): Promise<Item> {
    // Read from the database, never the cache: the version must be current.
    const where = { id, ownerId: principal.subject };
    const item = await this.find(where, id);
    assertPrecondition(precondition, item.version);
    if (changes.sku !== undefined && changes.sku !== item.sku) await this.assertSkuFree(changes.sku);
    const updated = await this.dataSource.transaction(async (manager) => {
      if (!(await updateIfCurrent(manager.getRepository(Item), item, where, changes, precondition))) return undefined;
      const current = await manager.getRepository(Item).findOneByOrFail(where);
      await this.publish(manager, 'item.updated', principal, current, changes);
      return current;
    });
    if (!updated) return item;
    await this.cache.del(itemCacheKey(principal.subject, id, principal.tenant));
    await this.announce({ kind: 'updated', item: updated });
    return updated;
  }

  /**
   * @throws NotFoundError when the principal owns no item with this id,
   *   PreconditionFailedError when it is no longer at a version the client's If-Match names.
   */
  async remove(principal: Principal, id: string, precondition: Precondition = { kind: 'none' }): Promise<void> {
    const where = { id, ownerId: principal.subject };
    const deleted = await this.dataSource.transaction(async (manager) => {
      const items = manager.getRepository(Item);
      const item = await items.findOneBy(where);
      if (!item || !(await deleteIfCurrent(items, where, precondition))) return false;
      await this.publish(manager, 'item.deleted', principal, item);
      return true;
    });
    await this.cache.del(itemCacheKey(principal.subject, id, principal.tenant));
    if (!deleted) throw notFound(id);
    await this.announce({ kind: 'deleted', item: { id, ownerId: principal.subject } });
  }

  /**
   * The one place item changes are announced to the live stream, after they
   * are committed. A failed publish (Redis down) is logged and counted by the
   * hub and does not fail the change: its subscribers miss it until they reload.
   */
  private async announce(change: ItemChange): Promise<void> {
    const data = change.kind === 'deleted' ? { id: change.item.id } : change.item;
    await this.hub.publish(itemChangesTopic(change.item.ownerId), { event: change.kind, data }).catch(() => undefined);
  }

  /**
   * The history of one of the principal's items (also once deleted), newest first.
   * @throws NotFoundError when the principal owns no item with this id and has no history of one.
   */
  async historyOf(principal: Principal, id: string, query: ListItemHistoryQuery): Promise<Page<ItemHistory>> {
    const [items, total] = await this.history.findAndCount({
      where: { itemId: id, ownerId: principal.subject },
      order: { occurredAt: 'DESC', version: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    if (total === 0 && !(await this.items.existsBy({ id, ownerId: principal.subject }))) throw notFound(id);
    return { items, total, limit: query.limit, offset: query.offset };
  }

  /** Publishes an item's domain event in the transaction of its change: the one place items publish (see {@link ItemEvent}). */
  private async publish(manager: EntityManager, type: ItemEventType, principal: Principal, item: Item, changed?: object): Promise<void> {
    const event: ItemEvent = { id: item.id, ownerId: item.ownerId, version: item.version };
    if (principal.tenant !== undefined) event.tenantId = principal.tenant;
    if (changed) event.changes = pickEventFields(changed);
    await this.events.publish(manager, type, event);
  }

  /** The principal's own item, or `undefined` (which `AppCache.wrap` does not cache). */
  private async findOwn(principal: Principal, id: string): Promise<Item | undefined> {
    return (await this.items.findOneBy({ id, ownerId: principal.subject })) ?? undefined;
  }

  private async find(where: FindOptionsWhere<Item>, id: string): Promise<Item> {
    const item = await this.items.findOneBy(where);
    if (!item) throw notFound(id);
    return item;
  }

  private async assertSkuFree(sku: string): Promise<void> {
    if (await this.items.existsBy({ sku })) throw new ConflictError(`An item with sku ${sku} already exists.`);
  }
}

/** The fields of `source` an event carries, those set only. */
function pickEventFields(source: object): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const field of EVENT_FIELDS) {
    const value = (source as Record<string, unknown>)[field];
    if (value !== undefined) fields[field] = value;
  }
  return fields;
}

/** The same message whether the item is missing or someone else's. */
function notFound(id: string): NotFoundError {
  return new NotFoundError(`Item ${id} does not exist.`);
}

/** Filter for what a principal may read: its own items, or all for an admin. */
function readableBy(principal: Principal): FindOptionsWhere<Item> {
  return principal.roles.includes(ITEMS_ADMIN_ROLE) ? {} : { ownerId: principal.subject };
}

/**
 * A case-insensitive substring match that works the same on SQLite and
 * PostgreSQL; `%` and `_` in the user's text match literally.
 */
function containsIgnoringCase(text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  return Raw((column) => `LOWER(${column}) LIKE :pattern ESCAPE '\\'`, { pattern });
}
