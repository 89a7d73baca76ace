import { type DataSource, type EntityMetadata, InsertQueryBuilder, type ObjectLiteral, QueryBuilder, SelectQueryBuilder } from 'typeorm';
import type { JoinAttribute } from 'typeorm/query-builder/JoinAttribute';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { currentRequestContext } from '../context/request-context';
import { isTenantScoped, TENANT_ID_PROPERTY } from './tenant-scoped.decorator';
import { TenantScopeError } from './tenant-scope.error';

/** The query parameter the tenant condition binds (a name no feature picks by accident). */
export const TENANT_PARAMETER = 'chassis_tenant_id';

/** The data sources whose tenant-scoped entities are scoped (tenancy on). */
const enforced = new WeakSet<DataSource>();

/** TypeORM's query-builder internals the scope hooks into (protected or untyped in its declarations). */
type Builder = QueryBuilder<ObjectLiteral> & {
  createWhereExpression(): string;
  getParameters(): ObjectLiteral;
};
type Inserter = InsertQueryBuilder<ObjectLiteral> & { getValueSets(): ObjectLiteral[] };
/** One join of a select, as TypeORM renders it (with its nested joins). */
type JoinTree = { joinAttribute: JoinAttribute; children: JoinTree[] };
type Selector = SelectQueryBuilder<ObjectLiteral> & { createJoinTreeRecursively(tree: JoinTree): string };

let installed = false;

/**
 * Scopes every query TypeORM builds on `dataSource` for a `@TenantScoped()`
 * entity to the current request's tenant (docs/tenancy.md):
 *
 * - select, count, exists, update, delete and soft delete get
 *   `AND <alias>.tenant_id = :chassis_tenant_id` in their `WHERE`, the way
 *   TypeORM adds its own soft-delete condition; repositories, entity managers
 *   and query builders all build their SQL there;
 * - every join of a tenant-scoped entity (find options' `relations`, eager
 *   relations, `leftJoin…`/`innerJoin…` of a relation or of an entity) gets
 *   the same condition in its `ON`, so a related row of another tenant is
 *   never loaded, whichever entity the query starts from;
 * - every insert gets the tenant stamped (a value the caller set is overwritten);
 * - an update that would change a row's tenant is refused, and so is an upsert
 *   whose conflict target lacks the tenant column (its `DO UPDATE` could
 *   reach a row of another tenant: an `id` of theirs, a globally unique key).
 *
 * Without a tenant in the request context, each of these throws
 * {@link TenantScopeError}. Raw SQL (`query()`) is not scoped here (row-level
 * security on PostgreSQL covers it: `enforceTenantSetting`).
 *
 * TypeORM has no global query filter, so this wraps two query-builder
 * methods once per process; data sources not passed here are left alone.
 */
export function enforceTenantScope(dataSource: DataSource): void {
  if (!installed) installHooks();
  installed = true;
  enforced.add(dataSource);
}

function installHooks(): void {
  const builder = QueryBuilder.prototype as unknown as Builder;
  const createWhereExpression = builder.createWhereExpression;
  builder.createWhereExpression = function (this: Builder): string {
    const metadata = scopedMetadataOf(this);
    if (metadata === undefined) return createWhereExpression.call(this);
    const tenant = requireTenant(metadata, this.expressionMap.queryType);
    refuseTenantChange(this, metadata, tenant);
    const map = this.expressionMap;
    const previous = map.extraAppendedAndWhereCondition;
    const condition = `${tenantColumnOf(this, metadata)} = :${TENANT_PARAMETER}`;
    map.extraAppendedAndWhereCondition = previous ? `(${previous}) AND ${condition}` : condition;
    try {
      return createWhereExpression.call(this);
    } finally {
      map.extraAppendedAndWhereCondition = previous;
    }
  };
  const getParameters = builder.getParameters;
  builder.getParameters = function (this: Builder): ObjectLiteral {
    const parameters = getParameters.call(this);
    const metadata = scopedMetadataOf(this) ?? scopedJoinOf(this)?.metadata;
    if (metadata !== undefined) parameters[TENANT_PARAMETER] = requireTenant(metadata, this.expressionMap.queryType);
    return parameters;
  };
  installJoinHook();
  const inserter = InsertQueryBuilder.prototype as unknown as Inserter;
  const getValueSets = inserter.getValueSets;
  inserter.getValueSets = function (this: Inserter): ObjectLiteral[] {
    const valueSets = getValueSets.call(this);
    const metadata = scopedMetadataOf(this);
    if (metadata === undefined) return valueSets;
    const tenant = requireTenant(metadata, 'insert');
    refuseCrossTenantUpsert(this, metadata);
    for (const valueSet of valueSets) valueSet[TENANT_ID_PROPERTY] = tenant;
    return valueSets;
  };
}

/** Adds the tenant condition to the `ON` of each join of a tenant-scoped entity, as TypeORM renders the join. */
function installJoinHook(): void {
  const selector = SelectQueryBuilder.prototype as unknown as Selector;
  const createJoinTreeRecursively = selector.createJoinTreeRecursively;
  selector.createJoinTreeRecursively = function (this: Selector, tree: JoinTree): string {
    const join = tree.joinAttribute;
    const metadata = enforced.has(this.connection) ? scopedJoinMetadata(join) : undefined;
    if (metadata === undefined) return createJoinTreeRecursively.call(this, tree);
    requireTenant(metadata, 'join');
    const previous = join.condition;
    const condition = `${this.escape(join.alias.name)}.${this.escape(tenantColumn(metadata).databaseName)} = :${TENANT_PARAMETER}`;
    join.condition = previous ? `(${previous}) AND ${condition}` : condition;
    try {
      return createJoinTreeRecursively.call(this, tree);
    } finally {
      join.condition = previous;
    }
  };
}

/** The joined entity's metadata when it is tenant-scoped (a join of a sub-query or a plain table has none). */
function scopedJoinMetadata(join: JoinAttribute): EntityMetadata | undefined {
  if (join.alias.subQuery !== undefined) return undefined;
  const metadata = join.metadata;
  return metadata !== undefined && isTenantScoped(metadata.target) ? metadata : undefined;
}

/** The first join of a tenant-scoped entity in a query on an enforced data source. */
function scopedJoinOf(builder: QueryBuilder<ObjectLiteral>): JoinAttribute | undefined {
  if (!enforced.has(builder.connection)) return undefined;
  return builder.expressionMap.joinAttributes.find((join) => scopedJoinMetadata(join) !== undefined);
}

/** The main entity's metadata when the query is on a tenant-scoped entity of an enforced data source. */
function scopedMetadataOf(builder: QueryBuilder<ObjectLiteral>): EntityMetadata | undefined {
  const alias = builder.expressionMap.mainAlias;
  if (alias === undefined || !alias.hasMetadata || !isTenantScoped(alias.metadata.target)) return undefined;
  return enforced.has(builder.connection) ? alias.metadata : undefined;
}

/** The request's tenant. @throws TenantScopeError outside a request with a tenant. */
function requireTenant(metadata: EntityMetadata, queryType: string): string {
  const tenant = currentRequestContext()?.tenantId;
  if (tenant !== undefined) return tenant;
  throw new TenantScopeError(
    `A ${queryType} on tenant-scoped entity ${metadata.name} ran without a tenant: only an authenticated request with tenancy on has one (docs/tenancy.md).`,
  );
}

/** @throws TenantScopeError when an update sets the tenant column to another tenant. */
function refuseTenantChange(builder: QueryBuilder<ObjectLiteral>, metadata: EntityMetadata, tenant: string): void {
  if (builder.expressionMap.queryType !== 'update') return;
  const values = builder.expressionMap.valuesSet as ObjectLiteral | undefined;
  const value: unknown = values?.[TENANT_ID_PROPERTY];
  if (value !== undefined && value !== tenant)
    throw new TenantScopeError(`An update of ${metadata.name} tried to move a row to another tenant.`);
}

/**
 * @throws TenantScopeError when an insert's `orUpdate` (`Repository.upsert`) names a conflict target
 * without the tenant column, or a constraint not known to include it: only a conflict within the
 * tenant (the inserted row carries its tenant) keeps the update on the tenant's own row.
 */
function refuseCrossTenantUpsert(builder: Inserter, metadata: EntityMetadata): void {
  const onUpdate = builder.expressionMap.onUpdate;
  if (onUpdate === undefined) return;
  const tenant = tenantColumn(metadata).databaseName;
  const target = onUpdate.conflict;
  const columns = Array.isArray(target) ? target : typeof target === 'string' ? constraintColumns(metadata, target) : undefined;
  if (onUpdate.upsertType !== 'primary-key' && columns?.includes(tenant)) return;
  const named = Array.isArray(target)
    ? `(${target.join(', ')})`
    : typeof target === 'string'
      ? `constraint ${target}`
      : 'no conflict target';
  throw new TenantScopeError(
    `An upsert of ${metadata.name} on ${named} could update another tenant's row: its conflict target must include ${tenant} (docs/tenancy.md).`,
  );
}

/** The database column names of a unique constraint or unique index of `metadata`, by name. */
function constraintColumns(metadata: EntityMetadata, name: string): string[] | undefined {
  const found = [...metadata.uniques, ...metadata.indices.filter((index) => index.isUnique)].find((entry) => entry.name === name);
  return found?.columns.map((column) => column.databaseName);
}

/** The tenant column as the query names it: alias-qualified where the query uses aliases, escaped for the driver. */
function tenantColumnOf(builder: Builder, metadata: EntityMetadata): string {
  const name = builder.escape(tenantColumn(metadata).databaseName);
  return builder.expressionMap.aliasNamePrefixingEnabled ? `${builder.escape(builder.expressionMap.mainAlias!.name)}.${name}` : name;
}

function tenantColumn(metadata: EntityMetadata): ColumnMetadata {
  const column = metadata.findColumnWithPropertyName(TENANT_ID_PROPERTY);
  if (column === undefined) throw new TenantScopeError(`${metadata.name} is @TenantScoped() but has no ${TENANT_ID_PROPERTY} column`);
  return column;
}
