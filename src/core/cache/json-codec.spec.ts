import { deserialize, serialize } from './json-codec';

describe('cache JSON codec', () => {
  it('round-trips Dates at any depth, and everything else as JSON does', () => {
    const value = {
      createdAt: new Date('2026-03-04T05:06:07.089Z'),
      nested: { list: [new Date(0), 'text', 1, null, true] },
      name: 'kettle',
    };
    const back = deserialize<typeof value>(serialize(value));
    expect(back).toEqual(value);
    expect(back.createdAt).toBeInstanceOf(Date);
    expect(back.nested.list[0]).toBeInstanceOf(Date);
  });

  it('round-trips a Date at the top level', () => {
    const back = deserialize<Date>(serialize(new Date('2026-01-01T00:00:00.000Z')));
    expect(back).toBeInstanceOf(Date);
    expect(back.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('keeps ISO strings as strings and drops undefined properties', () => {
    const back = deserialize<Record<string, unknown>>(serialize({ at: '2026-01-01T00:00:00.000Z', gone: undefined }));
    expect(back).toEqual({ at: '2026-01-01T00:00:00.000Z' });
  });

  it('leaves objects with $date and other properties alone', () => {
    expect(deserialize(serialize({ $date: 'x', other: 1 }))).toEqual({ $date: 'x', other: 1 });
  });
});
