/**
 * Entity tags (RFC 9110 §8.8.3) for versioned resources: the chassis's tags
 * are strong and carry the resource's version number, e.g. `"3"`.
 */

/** One tag of an `If-Match` / `If-None-Match` list. */
export interface EntityTag {
  weak: boolean;
  /** The quoted part, quotes removed. */
  opaque: string;
}

/** A parsed `If-Match` / `If-None-Match` value: `*`, a list of tags, or unparseable. */
export type EntityTagList = { kind: 'any' } | { kind: 'tags'; tags: EntityTag[] } | { kind: 'invalid' };

/** `entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE` (etagc: %x21 / %x23-7E / obs-text). */
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/** The strong tag of a version: `"<version>"`. */
export function formatEntityTag(version: number): string {
  return `"${version}"`;
}

/** Parses `*` or a comma-separated list of entity tags (RFC 9110 §13.1.1, §13.1.2). */
export function parseEntityTagList(header: string): EntityTagList {
  if (header.trim() === '*') return { kind: 'any' };
  const tags: EntityTag[] = [];
  for (const member of header.split(',')) {
    const text = member.trim();
    if (text === '') continue;
    const match = ENTITY_TAG.exec(text);
    if (!match) return { kind: 'invalid' };
    tags.push({ weak: match[1] !== undefined, opaque: match[2]! });
  }
  return tags.length > 0 ? { kind: 'tags', tags } : { kind: 'invalid' };
}

/** `If-None-Match` uses the weak comparison: the opaque parts are equal, weak or not (RFC 9110 §8.8.3.2). */
export function matchesWeakly(list: EntityTagList, currentTag: string): boolean {
  if (list.kind === 'any') return true;
  if (list.kind === 'invalid') return false;
  const current = parseEntityTagList(currentTag);
  if (current.kind !== 'tags') return false;
  return list.tags.some((tag) => tag.opaque === current.tags[0]!.opaque);
}
