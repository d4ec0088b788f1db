// validateBody: the one way bodies are checked (the API's ValidationPipe, the gateway, tests).
// Every bad field comes back by its full path, e.g. `subject.nationalities[0]` or
// `assets[2].estimatedValue.currency`, so the API's problem+json can name it.
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { withClock } from './dto/constraints';
import type { ItemContext } from './dto/constraints';

export interface FieldError {
  field: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface ValidateOptions {
  /** "Now" for date rules such as dateOfBirth in the past (ISO 8601); default the clock. */
  now?: string;
}

/**
 * Unknown fields are errors, not silently dropped: a misspelt optional field would otherwise
 * vanish unnoticed. stopAtFirstError keeps one message per field (its first failed check); other
 * fields are all still reported.
 */
export const VALIDATOR_OPTIONS: Readonly<ValidatorOptions> = Object.freeze({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: true },
});

/** Keys that would reach an object's prototype if a transformer copied them. */
const POISONED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function poisonedPaths(value: unknown, path: string, out: FieldError[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => poisonedPaths(item, `${path}[${i}]`, out));
    return;
  }
  for (const key of Object.keys(value)) {
    const child = path ? `${path}.${key}` : key;
    if (POISONED_KEYS.has(key))
      out.push({ field: child, message: `property ${key} should not exist` });
    else poisonedPaths((value as Record<string, unknown>)[key], child, out);
  }
}

/** Typed by the class given (a union of classes gives a union of instances). */
export function validateBody<C extends new () => object>(
  cls: C,
  plain: unknown,
  options: ValidateOptions = {},
): ValidationResult<InstanceType<C>> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, errors: [{ field: '', message: 'the body must be a JSON object' }] };
  }
  const poisoned: FieldError[] = [];
  poisonedPaths(plain, '', poisoned);
  if (poisoned.length > 0) return { ok: false, errors: poisoned };

  const instance = plainToInstance(cls, plain, { enableImplicitConversion: false });
  const errors = withClock(options.now, () => validateSync(instance, VALIDATOR_OPTIONS));
  return errors.length === 0
    ? { ok: true, value: instance as InstanceType<C> }
    : { ok: false, errors: flattenValidationErrors(errors) };
}

function join(parent: string, property: string, parentIsList: boolean): string {
  if (parentIsList) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** class-validator's error tree as one entry per failed constraint, named by its full path. */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  parent = '',
  parentIsList = false,
): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = join(parent, error.property, parentIsList);
    for (const [key, message] of Object.entries(error.constraints ?? {})) {
      const item = error.contexts?.[key] as Partial<ItemContext> | undefined;
      if (item?.itemCheck && Array.isArray(error.value)) {
        // A list of primitives: name each failing item.
        error.value.forEach((v: unknown, i: number) => {
          if (!item.itemCheck?.(v)) {
            out.push({
              field: `${path}[${i}]`,
              message: `${error.property}[${i}] ${item.itemMessage}`,
            });
          }
        });
      } else if (key === 'nestedValidation') {
        out.push({ field: path, message: `${path} must be an object` });
      } else {
        out.push({ field: path, message });
      }
    }
    if (error.children?.length) {
      out.push(...flattenValidationErrors(error.children, path, Array.isArray(error.value)));
    }
  }
  return out;
}
