import { fromStreamEntry, toStreamFields } from './stream-entry';

describe('stream entries', () => {
  it('round-trips an event: a string stays a string, objects come back as objects', () => {
    expect(fromStreamEntry(['5-0', toStreamFields({ event: 'created', data: { id: 'x' }, retry: 1000 })])).toEqual({
      id: '5-0',
      event: 'created',
      data: { id: 'x' },
      retry: 1000,
    });
    expect(fromStreamEntry(['5-1', toStreamFields({ data: '{"not":"parsed"}' })])).toEqual({ id: '5-1', data: '{"not":"parsed"}' });
  });

  it('skips entries the hub did not write', () => {
    expect(fromStreamEntry(['5-0', ['other', 'x']])).toBeUndefined();
    expect(fromStreamEntry(['5-0', ['d', '{broken']])).toBeUndefined();
  });
});
