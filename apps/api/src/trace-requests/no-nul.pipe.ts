import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import type { FieldError } from '../common/problem';
import { badRequest } from '../common/problem';

/** Every string in a value that holds U+0000, by its path (`subject.aliases[1]`). */
function nulPaths(value: unknown, path: string, out: FieldError[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) {
      out.push({ field: path, message: `${path || 'value'} must not contain NUL characters` });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulPaths(item, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      nulPaths(key, path ? `${path}.${key}` : key, out);
      nulPaths(child, path ? `${path}.${key}` : key, out);
    }
  }
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000: such a string would fail the insert (a 500) or,
 * inside a workflow, its projection activity (retried forever). Refused here with a 400 naming
 * the field, after the DTO validation. Applied to the controllers that write.
 */
@Injectable()
export class NoNulPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const errors: FieldError[] = [];
    nulPaths(value, metadata.type === 'param' ? (metadata.data ?? '') : '', errors);
    if (errors.length > 0) {
      throw badRequest(`the ${metadata.type} holds NUL characters`, errors);
    }
    return value;
  }
}
