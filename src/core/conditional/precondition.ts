import type { EntityTagList } from './entity-tag';

/**
 * What a write's `If-Match` asks for (RFC 9110 §13.1.1), for a versioned
 * resource whose tags are `"<version>"`:
 * - `none`: no `If-Match`: an unconditional write;
 * - `any`: `If-Match: *`: the resource must exist;
 * - `versions`: the resource's version must be one of these (strong
 *   comparison: weak tags never match, so an empty list can never hold).
 */
export type Precondition = { kind: 'none' } | { kind: 'any' } | { kind: 'versions'; versions: number[] };

/** The precondition of a parsed `If-Match` list. */
export function preconditionOf(list: EntityTagList | undefined): Precondition {
  if (list === undefined) return { kind: 'none' };
  if (list.kind === 'any') return { kind: 'any' };
  if (list.kind === 'invalid') return { kind: 'versions', versions: [] };
  const versions = list.tags.filter((tag) => !tag.weak && /^\d{1,15}$/.test(tag.opaque)).map((tag) => Number(tag.opaque));
  return { kind: 'versions', versions };
}

/** Whether a resource at `version` satisfies the precondition. */
export function preconditionHolds(precondition: Precondition, version: number): boolean {
  return precondition.kind !== 'versions' || precondition.versions.includes(version);
}
