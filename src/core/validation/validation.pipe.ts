import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { FieldError } from '../errors/problem-details';
import { PendingValidationErrors, validationProblem } from './validation-problem';

const LOCATIONS: Record<ArgumentMetadata['type'], FieldError['location']> = {
  body: 'body',
  query: 'query',
  param: 'path',
  custom: 'body',
};

/**
 * Nest's `ValidationPipe` with the chassis's settings (see {@link ChassisValidationPipe}),
 * failing with {@link PendingValidationErrors}; `overrides` for what a location needs differently.
 */
export function strictValidationPipe(overrides: ValidationPipeOptions = {}): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new PendingValidationErrors(errors),
    ...overrides,
  });
}

/**
 * The global validation pipe: Nest's `ValidationPipe` with the strict
 * settings a public API needs, answering with a 400 problem that lists every
 * field error and where it is (body, query or path): a missing field is
 * `<field> is required`, and the detail counts fields, not broken rules.
 *
 * - `whitelist` + `forbidNonWhitelisted`: unknown properties are an error, not silently dropped.
 * - `transform`: handlers receive DTO instances, with `@Type(() => Number)` conversions applied.
 * - Values are never echoed back (`validationError.value: false`): they may be secrets.
 */
@Injectable()
export class ChassisValidationPipe implements PipeTransform {
  private readonly pipe = strictValidationPipe();

  /**
   * A custom parameter decorator's value (`@CurrentPrincipal()`) is returned
   * as it is, synchronously: Nest's pipe would return it unchanged too
   * (`validateCustomDecorators` is off), but through two `async` calls whose
   * promises each cost an async-context hook on Node 20 (docs/performance.md).
   */
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    return this.validateOrFail(value, metadata);
  }

  private async validateOrFail(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await this.pipe.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof PendingValidationErrors)) throw error;
      throw validationProblem(error.errors, LOCATIONS[metadata.type], value);
    }
  }
}
