import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { strictValidationPipe } from './validation.pipe';
import { PendingValidationErrors, validationProblem } from './validation-problem';

/**
 * Validates a request's headers against the DTO class of the parameter
 * (`@RequestHeaders() headers: ApiVersionHeaders`), as the global pipe does
 * bodies and queries: the same 400 problem, each error at `location: "header"`.
 *
 * Unlike a body, the headers hold far more than the DTO declares (`host`,
 * `authorization`…): those are dropped from the result (`whitelist`), not
 * refused. Values are never echoed back in errors.
 */
@Injectable()
export class HeaderValidationPipe implements PipeTransform {
  private readonly pipe = strictValidationPipe({ forbidNonWhitelisted: false, validateCustomDecorators: true });

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return (await this.pipe.transform(value, metadata)) as unknown;
    } catch (error) {
      if (!(error instanceof PendingValidationErrors)) throw error;
      throw validationProblem(error.errors, 'header', value);
    }
  }
}
