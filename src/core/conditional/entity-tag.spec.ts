import { formatEntityTag, matchesWeakly, parseEntityTagList } from './entity-tag';
import { preconditionHolds, preconditionOf } from './precondition';

describe('entity tags (RFC 9110 §8.8.3, §13.1)', () => {
  it('parses *, lists with weak and strong tags, and refuses what is not a tag', () => {
    expect(parseEntityTagList('*')).toEqual({ kind: 'any' });
    expect(parseEntityTagList('"3", W/"4" ,"x"')).toEqual({
      kind: 'tags',
      tags: [
        { weak: false, opaque: '3' },
        { weak: true, opaque: '4' },
        { weak: false, opaque: 'x' },
      ],
    });
    for (const invalid of ['3', '"3', 'W/3', '', ' , ']) expect(parseEntityTagList(invalid)).toEqual({ kind: 'invalid' });
  });

  it('compares weakly for If-None-Match: W/"1" matches "1"', () => {
    expect(matchesWeakly(parseEntityTagList('W/"1"'), formatEntityTag(1))).toBe(true);
    expect(matchesWeakly(parseEntityTagList('"2", "1"'), '"1"')).toBe(true);
    expect(matchesWeakly(parseEntityTagList('"2"'), '"1"')).toBe(false);
    expect(matchesWeakly(parseEntityTagList('*'), '"1"')).toBe(true);
    expect(matchesWeakly(parseEntityTagList('nonsense'), '"1"')).toBe(false);
  });

  it('compares strongly for If-Match: weak and foreign tags never hold, * always does', () => {
    expect(preconditionOf(undefined)).toEqual({ kind: 'none' });
    expect(preconditionHolds(preconditionOf(parseEntityTagList('"1", "2"')), 2)).toBe(true);
    expect(preconditionHolds(preconditionOf(parseEntityTagList('W/"2"')), 2)).toBe(false);
    expect(preconditionHolds(preconditionOf(parseEntityTagList('"abc"')), 2)).toBe(false);
    expect(preconditionHolds(preconditionOf(parseEntityTagList('garbage')), 2)).toBe(false);
    expect(preconditionHolds(preconditionOf(parseEntityTagList('*')), 7)).toBe(true);
  });
});
