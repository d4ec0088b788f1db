import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validateBody } from '../../../../libs/domain/src/validation';
import { badRequest } from './problem';

const PRIMITIVES = new Set<unknown>([String, Number, Boolean, Array, Object]);

/**
 * Validates every body and query DTO with the domain's class-validator rules: unknown fields are
 * refused and every bad field is named in the 400 problem.
 */
@Injectable()
export class DomainValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
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
