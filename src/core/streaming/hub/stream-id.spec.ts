import { compareStreamIds, nextStreamId, parseStreamId } from './stream-id';

describe('stream ids', () => {
  it('parses <ms>-<seq> and refuses anything else', () => {
    expect(parseStreamId('1700000000000-3')).toEqual({ ms: 1700000000000n, seq: 3n });
    for (const bad of [
      '',
      '12',
      '12-',
      '-1',
      '1-2-3',
      'a-1',
      '1.5-0',
      ' 1-0',
      '1-0\n',
      '99999999999999999999-0',
      '1-18446744073709551616',
    ]) {
      expect(parseStreamId(bad)).toBeUndefined();
    }
    expect(parseStreamId('18446744073709551615-18446744073709551615')).toBeDefined();
  });

  it('orders by milliseconds then sequence, numerically (not as strings)', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('10-10', '10-2')).toBeGreaterThan(0);
    expect(compareStreamIds('10-2', '10-2')).toBe(0);
    expect(() => compareStreamIds('x', '1-0')).toThrow(TypeError);
  });

  it('mints increasing ids like XADD *, also when the clock stands still or goes back', () => {
    expect(nextStreamId(undefined, 1000)).toBe('1000-0');
    expect(nextStreamId('1000-0', 1000)).toBe('1000-1');
    expect(nextStreamId('1000-1', 999)).toBe('1000-2');
    expect(nextStreamId('1000-2', 1001)).toBe('1001-0');
  });
});
