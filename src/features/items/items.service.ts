import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Raw, Repository } from 'typeorm';
import { AppCache, ConflictError, NotFoundError, type Page, toOrder } from '../../core';
import type { CreateItemDto } from './dto/create-item.dto';
import type { ListItemsQuery } from './dto/list-items.query';
import type { UpdateItemDto } from './dto/update-item.dto';
import { Item } from './entities/item.entity';

/**
 * The cache key of one item. Every read, update and delete goes through it,
 * so scoping the cache (e.g. per owner: `items:${ownerId}:${id}`) is a change
 * to this one function.
 */
export function itemCacheKey(id: string): string {
  return `items:${id}`;
}

/** Catalogue items. No HTTP here: failures are domain errors the chassis maps. */
@Injectable()
export class ItemsService {
  constructor(
    @InjectRepository(Item) private readonly items: Repository<Item>,
    private readonly cache: AppCache,
  ) {}

  async create(input: CreateItemDto): Promise<Item> {
    await this.assertSkuFree(input.sku);
    return this.items.save(this.items.create({ ...input, description: input.description ?? null }));
  }

  async list(query: ListItemsQuery): Promise<Page<Item>> {
    const [items, total] = await this.items.findAndCount({
      where: query.q ? { name: containsIgnoringCase(query.q) } : {},
      order: { ...toOrder<keyof Item>(query.sort), id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total, limit: query.limit, offset: query.offset };
  }

  /**
   * One item, cache-aside (`CACHE_TTL_SECONDS`); a missing item is not cached.
   * @throws NotFoundError when no item has this id.
   */
  get(id: string): Promise<Item> {
    return this.cache.wrap(itemCacheKey(id), undefined, () => this.load(id));
  }

  /** @throws NotFoundError, ConflictError (the new sku is taken). */
  async update(id: string, changes: UpdateItemDto): Promise<Item> {
    // Read from the database, never the cache: the entity is saved back.
    const item = await this.load(id);
    if (changes.sku !== undefined && changes.sku !== item.sku) await this.assertSkuFree(changes.sku);
    Object.assign(item, changes);
    const saved = await this.items.save(item);
    await this.cache.del(itemCacheKey(id));
    return saved;
  }

  /** @throws NotFoundError when no item has this id. */
  async remove(id: string): Promise<void> {
    const result = await this.items.delete({ id });
    await this.cache.del(itemCacheKey(id));
    if (!result.affected) throw new NotFoundError(`Item ${id} does not exist.`);
  }

  private async load(id: string): Promise<Item> {
    const item = await this.items.findOneBy({ id });
    if (!item) throw new NotFoundError(`Item ${id} does not exist.`);
    return item;
  }

  private async assertSkuFree(sku: string): Promise<void> {
    if (await this.items.existsBy({ sku })) throw new ConflictError(`An item with sku ${sku} already exists.`);
  }
}

/**
 * A case-insensitive substring match that works the same on SQLite and
 * PostgreSQL; `%` and `_` in the user's text match literally.
 */
function containsIgnoringCase(text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  return Raw((column) => `LOWER(${column}) LIKE :pattern ESCAPE '\\'`, { pattern });
}
