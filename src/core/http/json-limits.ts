import type { JsonLimits } from '../config/app-config';
import { PROBLEM_TYPES } from '../errors/problem-details';
import { ProblemException } from '../errors/problem.exception';

/** The limit a JSON body broke, as named in the problem's `limit` member (docs/errors.md). */
export type JsonLimitName = 'depth' | 'keysPerObject' | 'arrayLength' | 'values' | 'stringBytes';

const DESCRIPTIONS: Record<JsonLimitName, (maximum: number) => string> = {
  depth: (max) => `The JSON body nests objects and arrays deeper than ${max} levels.`,
  keysPerObject: (max) => `An object in the JSON body has more than ${max} members.`,
  arrayLength: (max) => `An array in the JSON body has more than ${max} elements.`,
  values: (max) => `The JSON body holds more than ${max} values in all.`,
  stringBytes: (max) => `The strings in the JSON body (member names included) exceed ${max} bytes in all.`,
};

/**
 * Finds the first limit a parsed JSON value breaks, in one pass over it:
 * O(values + string bytes), without recursion (a deep value cannot overflow
 * the stack). Bounding the shape before validation bounds the work of
 * class-transformer and class-validator, whose cost grows with the number of
 * values and, for whitelisting, with the square of the members of an object.
 *
 * @param value a value as `JSON.parse` returns it (no cycles).
 * @returns the limit broken, or undefined when the value is within all of them.
 */
export function findJsonLimitBreach(value: unknown, limits: JsonLimits): JsonLimitName | undefined {
  let stringBytes = 0;
  let values = 1;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const current = stack.pop();
    const depth = depths.pop()!;
    if (typeof current === 'string') {
      stringBytes += Buffer.byteLength(current, 'utf8');
      if (stringBytes > limits.maxStringBytes) return 'stringBytes';
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limits.maxDepth) return 'depth';
    const isArray = Array.isArray(current);
    const keys = isArray ? undefined : Object.keys(current);
    const size = isArray ? current.length : keys!.length;
    if (isArray && size > limits.maxArrayLength) return 'arrayLength';
    if (!isArray && size > limits.maxKeysPerObject) return 'keysPerObject';
    values += size;
    if (values > limits.maxValues) return 'values';
    for (let i = 0; i < size; i++) {
      const child: unknown = isArray ? (current as unknown[])[i] : (current as Record<string, unknown>)[keys![i]];
      if (keys) stringBytes += Buffer.byteLength(keys[i], 'utf8');
      // Numbers, booleans and null need no further look: only strings and containers are stacked.
      if (typeof child === 'string' || (typeof child === 'object' && child !== null)) {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
    if (stringBytes > limits.maxStringBytes) return 'stringBytes';
  }
  return undefined;
}

/**
 * The problem for a body over a {@link JsonLimits} limit: 400 for nesting
 * (a malformed shape, not a large one), 413 Content Too Large (RFC 9110
 * section 15.5.14) for the counts and bytes. `limit` and `maximum` name it.
 */
export function jsonLimitProblem(limit: JsonLimitName, maximum: number): ProblemException {
  return new ProblemException({
    status: limit === 'depth' ? 400 : 413,
    type: PROBLEM_TYPES.jsonLimit,
    title: 'JSON body over a limit',
    detail: DESCRIPTIONS[limit](maximum),
    extensions: { limit, maximum },
  });
}

/**
 * The problem for the first limit a parsed body breaks, or undefined when it is within all of them.
 * Returned rather than thrown: the body parser hands it to Fastify's `done` callback.
 */
export function jsonLimitsProblem(value: unknown, limits: JsonLimits): ProblemException | undefined {
  const breach = findJsonLimitBreach(value, limits);
  return breach === undefined ? undefined : jsonLimitProblem(breach, maximumOf(breach, limits));
}

function maximumOf(limit: JsonLimitName, limits: JsonLimits): number {
  const maxima: Record<JsonLimitName, number> = {
    depth: limits.maxDepth,
    keysPerObject: limits.maxKeysPerObject,
    arrayLength: limits.maxArrayLength,
    values: limits.maxValues,
    stringBytes: limits.maxStringBytes,
  };
  return maxima[limit];
}
