import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validateBody } from '../../../../libs/domain/src/validation';
import { badRequest, type FieldError } from './problem';

const PRIMITIVES = new Set<unknown>([String, Number, Boolean, Array, Object]);

/** With the u flag a surrogate pair is one code point, so this finds only unpaired halves. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** No legitimate body nests deeper than this; deeper ones are refused before any recursion. */
const MAX_DEPTH = 32;

/** Whether a parsed JSON value nests deeper than `max` (iterative: safe on hostile input). */
function tooDeep(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Every string (or key) in a value that holds U+0000 or an unpaired surrogate (JSON can carry
 * `"\ud800"`; UTF-8 and PostgreSQL cannot), by its path (`subject.aliases[1]`).
 */
function nulPaths(value: unknown, path: string, out: FieldError[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) {
      out.push({ field: path, message: `${path || 'value'} must not contain NUL characters` });
    } else if (LONE_SURROGATE.test(value)) {
      out.push({
        field: path,
        message: `${path || 'value'} must be valid Unicode (it holds an unpaired surrogate)`,
      });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulPaths(item, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      nulPaths(key, at, out);
      nulPaths(child, at, out);
    }
  }
}

/**
 * Validates every body and query DTO with the domain's class-validator rules: unknown fields are
 * refused and every bad field is named in the 400 problem.
 */
@Injectable()
export class DomainValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'custom') {
      if (tooDeep(value, MAX_DEPTH)) {
        throw badRequest(`the ${metadata.type} nests deeper than ${MAX_DEPTH} levels`, [
          { field: metadata.data ?? '', message: `must not nest deeper than ${MAX_DEPTH} levels` },
        ]);
      }
      // PostgreSQL text and jsonb cannot hold U+0000 nor unpaired surrogates: refused here, not as
      // a 500 on insert (or a projection activity retried forever inside a workflow).
      const nul: FieldError[] = [];
      nulPaths(value, metadata.type === 'param' ? (metadata.data ?? '') : '', nul);
      if (nul.length > 0)
        throw badRequest(`the ${metadata.type} holds NUL characters or invalid Unicode`, nul);
    }
    const cls = metadata.metatype;
    if ((metadata.type !== 'body' && metadata.type !== 'query') || !cls || PRIMITIVES.has(cls)) {
      return value;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw badRequest(`the ${metadata.type} must be a JSON object`);
    }
    const result = validateBody(cls as new () => object, value);
    if (!result.ok) {
      throw badRequest(
        `the ${metadata.type} has ${result.errors.length} invalid field(s)`,
        result.errors,
      );
    }
    return result.value;
  }
}
