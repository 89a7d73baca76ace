import type { ValidationError } from 'class-validator';
import { describeFieldErrors, toFieldErrors } from './field-errors';

describe('toFieldErrors', () => {
  it('flattens nested errors into JSON Pointers, escaping ~ and /', () => {
    const errors: ValidationError[] = [
      { property: 'name', constraints: { isString: 'name must be a string', length: 'name is too long' }, children: [] },
      {
        property: 'tags',
        children: [{ property: '1', children: [{ property: 'a/b~c', constraints: { isInt: 'must be an integer' }, children: [] }] }],
      },
    ];
    expect(toFieldErrors(errors, 'body')).toEqual([
      { location: 'body', pointer: '#/name', detail: 'name must be a string' },
      { location: 'body', pointer: '#/name', detail: 'name is too long' },
      { location: 'body', pointer: '#/tags/1/a~1b~0c', detail: 'must be an integer' },
    ]);
  });

  it('says "is required" once for a field absent from the input, and keeps the rules of a field sent as null or invalid', () => {
    const errors: ValidationError[] = [
      { property: 'name', constraints: { isString: 'name must be a string', length: 'name is too short' }, children: [] },
      { property: 'sku', constraints: { matches: 'sku must be 3-64 letters' }, children: [] },
      { property: 'price', constraints: { isInt: 'price must be an integer number' }, children: [] },
      { property: 'size', children: [{ property: 'width', constraints: { isInt: 'width must be an integer number' }, children: [] }] },
    ];
    expect(toFieldErrors(errors, 'body', '#', { sku: 'x', price: null, size: {} })).toEqual([
      { location: 'body', pointer: '#/name', detail: 'name is required' },
      { location: 'body', pointer: '#/sku', detail: 'sku must be 3-64 letters' },
      { location: 'body', pointer: '#/price', detail: 'price must be an integer number' },
      { location: 'body', pointer: '#/size/width', detail: 'width is required' },
    ]);
  });

  it('counts fields, not broken rules', () => {
    expect(
      describeFieldErrors([
        { location: 'body', pointer: '#/name', detail: 'name must be a string' },
        { location: 'body', pointer: '#/name', detail: 'name is too short' },
        { location: 'query', pointer: '#/limit', detail: 'limit must not be greater than 100' },
      ]),
    ).toBe('2 invalid fields: body #/name, query #/limit');
  });
});
