import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { InvalidJobPayloadError } from './invalid-job-payload.error';
import type { QueueDefinition } from './queue-definition';

/**
 * The payload as an instance of the queue's DTO, validated with the rules of
 * the global validation pipe (unknown properties refused).
 *
 * @throws InvalidJobPayloadError naming every invalid field.
 */
export function validatedPayload<T extends object>(queue: QueueDefinition<T>, input: unknown): T {
  const instance = plainToInstance(queue.payload, input ?? {}) as T;
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw new InvalidJobPayloadError(queue.name, errors, input);
  return instance;
}

/** The payload as stored: plain JSON (what a DTO instance serializes to). */
export function storedPayload(payload: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
}
