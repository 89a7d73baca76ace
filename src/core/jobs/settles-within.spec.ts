import { settlesWithin } from './settles-within';

describe('settlesWithin', () => {
  it('is true for work that resolves or rejects within the bound', async () => {
    expect(await settlesWithin(Promise.resolve(1), 50)).toBe(true);
    expect(await settlesWithin(Promise.reject(new Error('x')), 50)).toBe(true);
  });

  it('is false for work still pending at the bound', async () => {
    expect(await settlesWithin(new Promise(() => undefined), 10)).toBe(false);
  });
});
