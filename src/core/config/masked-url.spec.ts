import { maskUrlPassword } from './masked-url';

describe('maskUrlPassword', () => {
  it('masks the password of a URL and leaves anything without one as it is', () => {
    expect(maskUrlPassword('postgres://app:s3cret@db:5432/app?sslmode=require')).toBe('postgres://app:***@db:5432/app?sslmode=require');
    expect(maskUrlPassword('postgres://app@db/app')).toBe('postgres://app@db/app');
    expect(maskUrlPassword('sqlite:./data/app.sqlite')).toBe('sqlite:./data/app.sqlite');
    expect(maskUrlPassword('sqlite::memory:')).toBe('sqlite::memory:');
    expect(maskUrlPassword('redis://:s3cret@cache:6379/0')).toBe('redis://:***@cache:6379/0');
  });
});
