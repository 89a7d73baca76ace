import { type FindOptionsWhere, In, type ObjectLiteral, type Repository } from 'typeorm';
import { PreconditionFailedError } from '../errors/domain-errors';
import { type Precondition, preconditionHolds } from './precondition';

/** An entity with a TypeORM `@VersionColumn()` named `version`. */
export type Versioned = ObjectLiteral & { version: number };

/**
 * Applies `changes` (fields left undefined are not touched) to `current`, the
 * entity as just read with `where`, if the client's precondition holds. With a
 * precondition the `UPDATE`'s `WHERE` also names `current.version`, so a
 * change made in between — by another request or another replica — makes
 * this one fail instead of being overwritten. TypeORM's `update` increments
 * the `@VersionColumn` (and sets an `@UpdateDateColumn`) in the same statement.
 *
 * @returns false when there was nothing to change (or the row vanished meanwhile, without a precondition).
 * @throws PreconditionFailedError (412) when `current` is not at a version the If-Match names, or changed meanwhile.
 */
export async function updateIfCurrent<T extends Versioned>(
  repository: Repository<T>,
  current: T,
  where: FindOptionsWhere<T>,
  changes: object,
  precondition: Precondition,
): Promise<boolean> {
  assertPrecondition(precondition, current.version);
  const fields = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  if (Object.keys(fields).length === 0) return false;
  const conditional = precondition.kind === 'none' ? where : { ...where, version: current.version };
  const result = await repository.update(conditional, fields as Parameters<Repository<T>['update']>[1]);
  if (result.affected) return true;
  if (precondition.kind !== 'none') throw changedSinceRead();
  return false;
}

/**
 * Deletes the entity matching `where` if the client's precondition holds
 * (the versions are part of the `DELETE`'s `WHERE`).
 *
 * @returns false when nothing matches `where`.
 * @throws PreconditionFailedError (412) when it exists at a version the If-Match does not name.
 */
export async function deleteIfCurrent<T extends Versioned>(
  repository: Repository<T>,
  where: FindOptionsWhere<T>,
  precondition: Precondition,
): Promise<boolean> {
  const conditional = precondition.kind === 'versions' ? { ...where, version: In(precondition.versions) } : where;
  const result = await repository.delete(conditional);
  if (result.affected) return true;
  if (precondition.kind === 'versions' && (await repository.existsBy(where))) throw changedSinceRead();
  return false;
}

/**
 * Checks the client's If-Match against the version just read; call it before
 * other checks so that a stale write is a 412 whatever else is wrong with it.
 * @throws PreconditionFailedError (412) when the version is not one the If-Match names.
 */
export function assertPrecondition(precondition: Precondition, version: number): void {
  if (!preconditionHolds(precondition, version)) throw changedSinceRead();
}

function changedSinceRead(): PreconditionFailedError {
  return new PreconditionFailedError(
    'The resource has changed since you read it (its ETag is no longer current); read it again and redo your change.',
  );
}
