import type { JsonLimits } from '../config/app-config';
import { findJsonLimitBreach, jsonLimitsProblem } from './json-limits';

const LIMITS: JsonLimits = { maxDepth: 3, maxKeysPerObject: 3, maxArrayLength: 3, maxValues: 12, maxStringBytes: 16 };
const breach = (json: string, limits: Partial<JsonLimits> = {}) => findJsonLimitBreach(json, { ...LIMITS, ...limits });

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

  it('reads strings as strings: their commas, brackets and escaped quotes are not structure', () => {
    expect(breach('{"a":"x,y,z,w","b":"[[[[{{{{"}', { maxStringBytes: 100 })).toBeUndefined();
    expect(breach('["\\",\\"",1,2,3]')).toBe('arrayLength'); // the string "," (escaped quotes), then 3 more
    expect(breach('["\\",\\"",1,2]')).toBeUndefined();
  });

  it('counts values as JSON.parse would build them: containers, members and elements, not member names', () => {
    expect(breach('{"a":[1,2],"b":{"c":null}}', { maxValues: 6 })).toBeUndefined();
    expect(breach('{"a":[1,2],"b":{"c":null}}', { maxValues: 5 })).toBe('values');
    expect(breach('[[],{},"",0]', { maxValues: 5, maxArrayLength: 4 })).toBeUndefined();
  });

  it('walks a nesting far deeper than the call stack allows without throwing', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(breach(deep, { maxDepth: 1_000_000, maxValues: 1_000_000 })).toBeUndefined();
    expect(breach(deep)).toBe('depth');
  });
});

describe('jsonLimitsProblem', () => {
  it('is a 400 for depth and a 413 for sizes, naming the limit and its maximum', () => {
    expect(jsonLimitsProblem('[[[[]]]]', LIMITS)?.problem).toMatchObject({
      status: 400,
      extensions: { limit: 'depth', maximum: 3 },
    });
    expect(jsonLimitsProblem('[1,2,3,4]', LIMITS)?.problem).toMatchObject({
      status: 413,
      extensions: { limit: 'arrayLength', maximum: 3 },
    });
    expect(jsonLimitsProblem('{}', LIMITS)).toBeUndefined();
  });
});
