import { sortValues, toOrder } from './sort';

describe('sort helpers', () => {
  it('lists both directions of each field', () => {
    expect(sortValues(['name', 'createdAt'])).toEqual(['name', '-name', 'createdAt', '-createdAt']);
  });

  it('turns a key into a TypeORM order', () => {
    expect(toOrder('name')).toEqual({ name: 'ASC' });
    expect(toOrder('-createdAt')).toEqual({ createdAt: 'DESC' });
  });
});
