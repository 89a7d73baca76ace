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

/** Character codes the scan tells apart. */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/**
 * Finds the first limit a JSON text breaks, in one pass over its characters
 * and before `JSON.parse` builds anything: O(length), no recursion, no
 * allocation but one small frame per open container. Checking the text
 * rather than the parsed value matters: `JSON.parse` builds the whole object
 * first, and class-transformer and class-validator then work per value
 * (their whitelisting grows with the square of an object's member count);
 * see docs/performance.md#json-limits.
 *
 * Counted as written: a member name is a string; `stringBytes` is the UTF-8
 * length of what is between the quotes (an escape counts as its characters).
 * The text need not be valid JSON: counts stop being meaningful then, but the
 * scan stays linear, and `JSON.parse` refuses the text next.
 *
 * @returns the limit broken, or undefined when the text is within all of them.
 */
export function findJsonLimitBreach(text: string, limits: JsonLimits): JsonLimitName | undefined {
  const sizes: number[] = []; // per open container: elements or members so far
  const objects: boolean[] = [];
  let values = 0;
  let stringBytes = 0;
  let top = -1;
  let topHasValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === COLON) continue;
    if (c === COMMA) {
      if (top < 0) continue;
      const size = ++sizes[top];
      if (size > (objects[top] ? limits.maxKeysPerObject : limits.maxArrayLength)) return objects[top] ? 'keysPerObject' : 'arrayLength';
      if (++values > limits.maxValues) return 'values';
      continue;
    }
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (top >= 0) top--;
      topHasValue = true;
      continue;
    }
    // A value, or a member name, starts here: the first one in a container makes its size 1.
    if (top >= 0 && sizes[top] === 0) {
      sizes[top] = 1;
      if (++values > limits.maxValues) return 'values';
    } else if (top < 0 && !topHasValue) {
      values = 1;
    }
    topHasValue = true;
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++top >= limits.maxDepth) return 'depth';
      sizes[top] = 0;
      objects[top] = c === OPEN_OBJECT;
    } else if (c === QUOTE) {
      const end = endOfString(text, i);
      stringBytes += utf8Length(text, i + 1, end);
      if (stringBytes > limits.maxStringBytes) return 'stringBytes';
      i = end;
    }
  }
  return undefined;
}

/**
 * The index of the quote closing the string opened at `start` (the text's end
 * when there is none). `indexOf` finds quotes natively; a quote preceded by an
 * odd number of backslashes is escaped.
 */
function endOfString(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return text.length;
    let backslash = quote - 1;
    while (text.charCodeAt(backslash) === BACKSLASH) backslash--;
    if ((quote - 1 - backslash) % 2 === 0) return quote;
    from = quote + 1;
  }
}

/** UTF-8 bytes of `text[from, to)` (a surrogate pair is 4), counted natively. */
function utf8Length(text: string, from: number, to: number): number {
  return to - from < 16 && isAscii(text, from, to) ? to - from : Buffer.byteLength(text.slice(from, to), 'utf8');
}

function isAscii(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
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
 * The problem for the first limit a JSON text breaks, or undefined when it is within all of them.
 * Returned rather than thrown: the body parser hands it to Fastify's `done` callback.
 */
export function jsonLimitsProblem(text: string, limits: JsonLimits): ProblemException | undefined {
  const breach = findJsonLimitBreach(text, limits);
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
