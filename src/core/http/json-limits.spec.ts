import type { JsonLimits } from '../config/app-config';
import { findJsonLimitBreach, jsonLimitsProblem } from './json-limits';

const LIMITS: JsonLimits = { maxDepth: 3, maxKeysPerObject: 3, maxArrayLength: 3, maxValues: 12, maxStringBytes: 16 };
const breach = (json: string, limits: Partial<JsonLimits> = {}) => findJsonLimitBreach(JSON.parse(json), { ...LIMITS, ...limits });

describe('findJsonLimitBreach', () => {
  it('accepts values at every limit', () => {
    expect(breach('{"a":[1,[2,3]],"b":"xx","c":null}')).toBeUndefined();
    expect(breach('"0123456789abcdef"')).toBeUndefined();
    expect(breach('[[[]]]')).toBeUndefined();
    expect(breach('1')).toBeUndefined();
  });

  it('names the depth past the limit, for objects and arrays alike', () => {
    expect(breach('[[[[]]]]')).toBe('depth');
    expect(breach('{"a":{"b":{"c":{}}}}')).toBe('depth');
    // A scalar below the deepest container adds no depth.
    expect(breach('[[[1]]]')).toBeUndefined();
  });

  it('names the members per object, the array length and the value count', () => {
    expect(breach('{"a":1,"b":2,"c":3,"d":4}')).toBe('keysPerObject');
    expect(breach('[1,2,3,4]')).toBe('arrayLength');
    expect(breach('[[1,2,3],[1,2,3],[1,2,3]]')).toBe('values');
  });

  it('counts the UTF-8 bytes of strings and member names together', () => {
    expect(breach('"0123456789abcdefg"')).toBe('stringBytes');
    expect(breach('{"abcdefgh":"abcdefghi"}')).toBe('stringBytes');
    expect(breach('"éééééééé"')).toBeUndefined(); // 16 bytes
    expect(breach('"ééééééééé"')).toBe('stringBytes'); // 18 bytes, 9 characters
  });

  it('walks a nesting far deeper than the call stack allows without throwing', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(breach(deep, { maxDepth: 1_000_000, maxValues: 1_000_000 })).toBeUndefined();
    expect(breach(deep)).toBe('depth');
  });
});

describe('jsonLimitsProblem', () => {
  it('is a 400 for depth and a 413 for sizes, naming the limit and its maximum', () => {
    expect(jsonLimitsProblem(JSON.parse('[[[[]]]]'), LIMITS)?.problem).toMatchObject({
      status: 400,
      extensions: { limit: 'depth', maximum: 3 },
    });
    expect(jsonLimitsProblem(JSON.parse('[1,2,3,4]'), LIMITS)?.problem).toMatchObject({
      status: 413,
      extensions: { limit: 'arrayLength', maximum: 3 },
    });
    expect(jsonLimitsProblem({}, LIMITS)).toBeUndefined();
  });
});
