import { Column, getMetadataArgsStorage, Index } from 'typeorm';

/** The property (and `tenant_id` column) `@TenantScoped()` adds to an entity. */
export const TENANT_ID_PROPERTY = 'tenantId';

/** The classes marked `@TenantScoped()` (the query scope checks its entities against it). */
const tenantScopedClasses = new WeakSet<object>();

/** The tenant of each tenant-scoped entity instance: kept off the instance, so it is never serialized. */
const tenantOf = new WeakMap<object, string | undefined>();

/**
 * Makes an entity tenant-scoped (docs/tenancy.md): adds the `tenant_id`
 * column (`varchar(128)`, not null, default `''`, indexed as
 * `IDX_<table>_tenant_id`), which the chassis stamps on every insert and
 * adds to the `WHERE` of every select, count, update and delete TypeORM
 * builds for the entity, with tenancy on. With tenancy on, a query on the
 * entity outside a request with a tenant is refused (`TenantScopeError`).
 *
 * The column is never selected into entities (`select: false`) and the
 * property is not enumerable, so it is never in a response body; the
 * feature's code has no `tenantId` to set or forget. Its migration must add
 * the column and the index (see `migrations/` for items). The default `''`
 * is the tenant of rows written with tenancy off.
 *
 * Goes above `@Entity()` (it reads the table name `@Entity()` registered).
 *
 * @throws Error at class definition when `@Entity()` is not below it.
 * @example
 * ```ts
 * @TenantScoped()
 * @Entity({ name: 'invoices' })
 * export class Invoice { … }
 * ```
 */
export function TenantScoped(): ClassDecorator {
  return (target) => {
    const table = getMetadataArgsStorage().tables.find((args) => args.target === target);
    if (!table) throw new Error(`@TenantScoped() on ${target.name} must be written above @Entity()`);
    const prototype = target.prototype as object;
    Column({ type: 'varchar', length: 128, name: 'tenant_id', default: '', select: false })(prototype, TENANT_ID_PROPERTY);
    Index(`IDX_${table.name ?? target.name}_tenant_id`)(prototype, TENANT_ID_PROPERTY);
    Object.defineProperty(prototype, TENANT_ID_PROPERTY, {
      enumerable: false,
      configurable: true,
      get(this: object) {
        return tenantOf.get(this);
      },
      set(this: object, tenant: string | undefined) {
        tenantOf.set(this, tenant);
      },
    });
    tenantScopedClasses.add(target);
  };
}

/** True when `target` (an entity class, or a table name for schema-only entities) is marked `@TenantScoped()`. */
export function isTenantScoped(target: unknown): boolean {
  return typeof target === 'function' && tenantScopedClasses.has(target);
}
