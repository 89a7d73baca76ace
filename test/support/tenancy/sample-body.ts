import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import fc from 'fast-check';

/**
 * A body the DTO's class-validator rules accept, generated from those rules
 * (the ones feature DTOs use: strings with lengths or a pattern, numbers with
 * bounds, booleans, `@IsIn`, `@IsEnum`, UUIDs, e-mails, ISO dates), with
 * random strings so two calls do not collide on a unique column. Optional
 * properties are included when `withOptional` is set (an update body).
 *
 * @throws Error naming the property and rule it cannot satisfy, so a route
 *   whose DTO it cannot sample fails loudly instead of being skipped.
 */
export function sampleBody(dto: Type, withOptional = false): Record<string, unknown> {
  const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const rule of rules) byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  for (let attempt = 0; attempt < 50; attempt++) {
    const body: Record<string, unknown> = {};
    for (const [property, propertyRules] of byProperty) {
      const optional = propertyRules.some((rule) => rule.type === 'conditionalValidation');
      if (optional && !withOptional) continue;
      body[property] = sampleValue(property, propertyRules);
    }
    const errors = validateSync(plainToInstance(dto, body) as object, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length === 0) return body;
    if (attempt === 49) throw new Error(`cannot sample a valid ${dto.name}: ${errors.map((error) => error.toString()).join('; ')}`);
  }
  throw new Error('unreachable');
}

function sampleValue(property: string, rules: ValidationMetadata[]): unknown {
  /** The rule's constraints ([] for a rule without any), or undefined when the property has no such rule. */
  const rule = (name: string) => {
    const found = rules.find((r) => r.name === name);
    return found === undefined ? undefined : ((found.constraints ?? []) as unknown[]);
  };
  const isIn = rule('isIn');
  if (isIn) return (isIn[0] as unknown[])[0];
  const isEnum = rule('isEnum');
  if (isEnum) return Object.values(isEnum[0] as object)[0];
  if (rule('isBoolean')) return true;
  if (rule('isUUID')) return crypto.randomUUID();
  if (rule('isEmail')) return `conformance-${random(6)}@example.com`;
  if (rule('isDateString') || rule('isISO8601')) return new Date().toISOString();
  if (rule('isInt') || rule('isNumber') || rule('isPositive'))
    return sampleNumber(rule('min'), rule('max'), rule('isPositive') !== undefined);
  const pattern = rule('matches');
  if (pattern) return fc.sample(fc.stringMatching(pattern[0] as RegExp), 1)[0];
  if (rule('isString') || rule('isLength') || rule('maxLength') || rule('minLength') || rule('isNotEmpty'))
    return sampleString(rule('isLength') ?? [rule('minLength')?.[0] ?? 1, rule('maxLength')?.[0]]);
  throw new Error(`no sample for property ${property} (rules: ${rules.map((r) => r.name ?? r.type).join(', ')})`);
}

function sampleNumber(min: unknown[] | undefined, max: unknown[] | undefined, positive: boolean): number {
  const low = Number(min?.[0] ?? (positive ? 1 : 0));
  const high = max === undefined ? low + 1000 : Number(max[0]);
  return Math.min(high, low + Math.floor(Math.random() * Math.min(1000, high - low + 1)));
}

function sampleString([min, max]: unknown[]): string {
  const text = `Conformance ${random(8)}`;
  const low = Math.max(1, Number(min ?? 1));
  const high = max === undefined ? Math.max(low, text.length) : Number(max);
  return text.padEnd(low, 'x').slice(0, high);
}

function random(length: number): string {
  return Math.random()
    .toString(36)
    .slice(2, 2 + length);
}
