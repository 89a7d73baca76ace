import type { ValidationError } from 'class-validator';
import { toFieldErrors } from './field-errors';

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
});
