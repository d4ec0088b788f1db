// Reusable class-validator building blocks for the DTOs. Each helper registers its checks in the
// order they should run: validateBody uses stopAtFirstError, so every field reports its first
// failed check only ("is required" rather than "is required, must be a string, too long").
// Not loaded by workflow code (class-validator is not sandbox-safe).
// class-transformer's @Type reads design-time metadata: load the polyfill before any DTO.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateBy,
  ValidateNested,
  isISO31661Alpha2,
  isISO4217CurrencyCode,
} from 'class-validator';
import type { ValidationArguments } from 'class-validator';

type Ctor = new () => object;

export interface FieldOptions {
  optional?: boolean;
  /** Replaces "<field> is required". */
  requiredMessage?: string;
}

/** Apply decorators in the listed order (TypeScript applies stacked decorators bottom-up). */
export function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };
}

function presence(options: FieldOptions = {}): PropertyDecorator {
  return options.optional
    ? IsOptional()
    : IsDefined({ message: options.requiredMessage ?? '$property is required' });
}

/** A custom check with a fixed message. */
export function Check(
  name: string,
  check: (value: unknown, args: ValidationArguments) => boolean,
  message: string | ((args: ValidationArguments) => string),
): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        check(value, args as ValidationArguments),
      defaultMessage: (args?: ValidationArguments) =>
        typeof message === 'string' ? message : message(args as ValidationArguments),
    },
  });
}

/** What validateBody needs to name the failing index of a list of primitives. */
export interface ItemContext {
  itemCheck: (item: unknown) => boolean;
  itemMessage: string;
}

/**
 * A check on every item of a list of primitives. class-validator's `each` reports the whole
 * list; the item check rides along in the error's context so validateBody can report
 * `nationalities[1]` instead.
 */
export function EachItem(
  name: string,
  check: (item: unknown) => boolean,
  itemMessage: string,
): PropertyDecorator {
  const context: ItemContext = { itemCheck: check, itemMessage };
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.every(check),
        defaultMessage: () => `every item ${itemMessage}`,
      },
    },
    { context },
  );
}

// --- the clock of date rules ------------------------------------------------------------------

let clock: () => number = () => Date.now();

/** Run `fn` with "now" fixed (tests, or a request's received-at time); synchronous only. */
export function withClock<T>(now: string | undefined, fn: () => T): T {
  if (now === undefined) return fn();
  const fixed = Date.parse(now);
  if (isNaN(fixed)) throw new Error(`withClock: not an ISO 8601 time: ${now}`);
  const previous = clock;
  clock = () => fixed;
  try {
    return fn();
  } finally {
    clock = previous;
  }
}

function todayUtc(): string {
  return new Date(clock()).toISOString().slice(0, 10);
}

// --- predicates -------------------------------------------------------------------------------

export function isNonBlank(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}

/** Upper-case and officially assigned (class-validator alone also accepts "za"). */
export function isCountryCode(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value) && isISO31661Alpha2(value);
}

export function isCurrencyCode(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) && isISO4217CurrencyCode(value);
}

/** A calendar date YYYY-MM-DD that exists (no 2023-02-29). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A full ISO 8601 date-time with an explicit offset (Z or +hh:mm). */
export function isIsoDateTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    !isNaN(Date.parse(value))
  );
}

/**
 * A positive decimal string: up to 18 integer digits and 4 decimals (ISO 4217 minor units go to
 * 4). Strings, not numbers, so large amounts keep every digit through JSON and hashing.
 */
export function isPositiveAmount(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    /^(0|[1-9]\d{0,17})(\.\d{1,4})?$/.test(value) &&
    /[1-9]/.test(value)
  );
}

/** IMO ship number: 7 digits, the last a check digit (weights 7..2). "IMO " prefix allowed. */
export function isImoNumber(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = /^(?:IMO ?)?(\d{7})$/.exec(value);
  if (!m) return false;
  const digits = m[1].split('').map(Number);
  const sum = digits.slice(0, 6).reduce((acc, d, i) => acc + d * (7 - i), 0);
  return sum % 10 === digits[6];
}

// --- field decorators -------------------------------------------------------------------------

/** A non-blank string of at most `max` characters. */
export function Text(max: number, options: FieldOptions = {}): PropertyDecorator {
  return compose(
    presence(options),
    IsString({ message: '$property must be a string' }),
    Check('isNonBlank', isNonBlank, '$property must not be blank'),
    MaxLength(max, { message: `$property must be at most ${max} characters` }),
  );
}

/** A string matching `pattern` (after the Text checks). */
export function Pattern(
  max: number,
  pattern: RegExp,
  message: string,
  options: FieldOptions = {},
): PropertyDecorator {
  return compose(
    Text(max, options),
    Check('matchesPattern', (v) => typeof v === 'string' && pattern.test(v), message),
  );
}

export function OneOf(values: readonly string[], options: FieldOptions = {}): PropertyDecorator {
  return compose(
    presence(options),
    IsIn([...values], { message: `$property must be one of: ${values.join(', ')}` }),
  );
}

export function Bool(options: FieldOptions = {}): PropertyDecorator {
  return compose(presence(options), IsBoolean({ message: '$property must be true or false' }));
}

export function Country(options: FieldOptions = {}): PropertyDecorator {
  return compose(
    presence(options),
    Check('isCountryCode', isCountryCode, '$property must be an ISO 3166-1 alpha-2 country code'),
  );
}

export function Currency(options: FieldOptions = {}): PropertyDecorator {
  return compose(
    presence(options),
    Check('isCurrencyCode', isCurrencyCode, '$property must be an ISO 4217 currency code'),
  );
}

export function Amount(options: FieldOptions = {}): PropertyDecorator {
  return compose(
    presence(options),
    Check(
      'isPositiveAmount',
      isPositiveAmount,
      '$property must be a positive decimal string such as "1250000.00"',
    ),
  );
}

export interface DateOptions extends FieldOptions {
  /** Strictly before today (UTC). */
  past?: boolean;
  /** Today or before. */
  notFuture?: boolean;
  /** Not before this date. */
  min?: string;
}

/** An ISO 8601 calendar date (YYYY-MM-DD). */
export function CalendarDate(options: DateOptions = {}): PropertyDecorator {
  const checks: PropertyDecorator[] = [
    presence(options),
    Check('isIsoDate', isIsoDate, '$property must be an ISO 8601 date (YYYY-MM-DD)'),
  ];
  if (options.min !== undefined) {
    const min = options.min;
    checks.push(
      Check('minDate', (v) => (v as string) >= min, `$property must not be before ${min}`),
    );
  }
  if (options.past) {
    checks.push(
      Check('isPastDate', (v) => (v as string) < todayUtc(), '$property must be in the past'),
    );
  }
  if (options.notFuture) {
    checks.push(
      Check(
        'isNotFutureDate',
        (v) => (v as string) <= todayUtc(),
        '$property must not be in the future',
      ),
    );
  }
  return compose(...checks);
}

export function Timestamp(options: FieldOptions = {}): PropertyDecorator {
  return compose(
    presence(options),
    Check(
      'isIsoDateTime',
      isIsoDateTime,
      '$property must be an ISO 8601 date-time with a time zone',
    ),
  );
}

export interface ListOptions extends FieldOptions {
  min: number;
  max: number;
  unique?: boolean;
}

function listChecks(options: ListOptions): PropertyDecorator[] {
  return [
    presence(options),
    IsArray({ message: '$property must be a list' }),
    ArrayMinSize(options.min, { message: `$property must have at least ${options.min} item(s)` }),
    ArrayMaxSize(options.max, { message: `$property must have at most ${options.max} items` }),
  ];
}

function unique(options: ListOptions): PropertyDecorator[] {
  return options.unique ? [ArrayUnique({ message: '$property must not repeat an item' })] : [];
}

/** A list of non-blank strings of at most `maxLength` characters each. */
export function TextList(maxLength: number, options: ListOptions): PropertyDecorator {
  return compose(
    ...listChecks(options),
    EachItem(
      'eachText',
      (v) => isNonBlank(v) && (v as string).length <= maxLength,
      `must be a non-blank string of at most ${maxLength} characters`,
    ),
    ...unique(options),
  );
}

export function OneOfList(values: readonly string[], options: ListOptions): PropertyDecorator {
  return compose(
    ...listChecks(options),
    EachItem(
      'eachOneOf',
      (v) => values.includes(v as string),
      `must be one of: ${values.join(', ')}`,
    ),
    ...unique(options),
  );
}

export function CountryList(options: ListOptions): PropertyDecorator {
  return compose(
    ...listChecks(options),
    EachItem('eachCountryCode', isCountryCode, 'must be an ISO 3166-1 alpha-2 country code'),
    ...unique(options),
  );
}

/** A nested object validated by `cls` (whitelisted too, so unknown nested fields are named). */
export function Nested(cls: () => Ctor, options: FieldOptions = {}): PropertyDecorator {
  return compose(
    presence(options),
    IsObject({ message: '$property must be an object' }),
    ValidateNested(),
    Type(cls),
  );
}

/** A list of nested objects; errors come back as `assets[2].type`. */
export function NestedList(cls: () => Ctor, options: ListOptions): PropertyDecorator {
  return compose(...listChecks(options), ValidateNested({ each: true }), Type(cls));
}
