import { ApplicationFailure } from '@temporalio/workflow';
import type { Refusal } from '../libs/domain/src/types';

/** What a refusal carries beyond its code and message (the failure's first detail). */
export interface RefusalDetails {
  field?: string;
  rule?: string;
}

/**
 * A domain refusal as the Temporal failure the API receives: the type is the refusal code
 * (libs/domain/src/rules.ts, mapped to HTTP by code), the details carry field and rule.
 * Non-retryable: the same command on the same state is refused again.
 */
export function refusalFailure(refusal: Omit<Refusal, 'ok'>): ApplicationFailure {
  const details: RefusalDetails = {
    ...(refusal.field !== undefined ? { field: refusal.field } : {}),
    ...(refusal.rule !== undefined ? { rule: refusal.rule } : {}),
  };
  return ApplicationFailure.create({
    message: refusal.message,
    type: refusal.code,
    nonRetryable: true,
    details: [details],
  });
}
