import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { asyncLocalStorage } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import {
  GatewayTransportError,
  INTERPOL_PATHS,
  isSuccess,
  postSigned,
  type SignedResponse,
} from '../../../../libs/gateway/src';
import type { OutboundMessage } from '../../../../workflows/activity-types';

const PATHS: Record<OutboundMessage['type'], string> = {
  submission: INTERPOL_PATHS.submissions,
  diffusion: INTERPOL_PATHS.diffusions,
  queryAnswer: INTERPOL_PATHS.queryAnswers,
  withdrawal: INTERPOL_PATHS.withdrawals,
};

/** The failure type a permanent refusal carries, for workflow code that tells them apart. */
export const INTERPOL_REFUSED = 'InterpolRefused';

/** Enough of an error body to diagnose it; bounded, since it ends up in workflow history. */
const MAX_DETAIL = 1000;

/** Client errors that are worth retrying: a timeout on their side, or rate limiting. */
function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status < 400 || status >= 500;
}

function detailOf(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? null);
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}...` : text;
}

@Injectable()
export class InterpolActivities {
  private readonly logger = new Logger(InterpolActivities.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Signed POST to the INTERPOL gateway with the message's Idempotency-Key, so a retry after a
   * lost answer is a replay on their side. Success ends it; a permanent refusal (4xx other than
   * 408/429) throws a non-retryable failure, since resending the same message cannot change the
   * answer; anything else (5xx, 408, 429, no answer) throws a plain Error that Temporal retries
   * with backoff. Every attempt is counted in outbound_messages; a message already delivered is
   * not sent again.
   */
  async sendToInterpol(msg: OutboundMessage): Promise<void> {
    const { type, idempotencyKey: key } = msg;
    const reference = msg.body.reference;
    const what = `${type} ${reference} (key ${key})`;

    const counted: { attempts: number }[] = await this.db.query(
      `INSERT INTO outbound_messages (idempotency_key, type, reference, attempts, last_attempt_at)
       VALUES ($1, $2, $3, 1, now())
       ON CONFLICT (idempotency_key) DO UPDATE SET
         attempts = outbound_messages.attempts + 1, last_attempt_at = now()
       WHERE outbound_messages.delivered_at IS NULL
       RETURNING attempts`,
      [key, type, reference],
    );
    if (counted.length === 0) {
      this.logger.log(`${what}: already delivered, not sent again`);
      return;
    }
    const attempt = counted[0].attempts;

    const url = `${this.config.gateway.interpolUrl.replace(/\/+$/, '')}${PATHS[type]}`;
    let response: SignedResponse;
    try {
      response = await postSigned(url, msg.body, {
        secret: this.config.gateway.secret,
        idempotencyKey: key,
        // Aborts the POST when Temporal cancels the activity or the worker shuts down.
        signal: asyncLocalStorage.getStore()?.cancellationSignal,
      });
    } catch (err) {
      const reason = err instanceof GatewayTransportError ? err.message : String(err);
      await this.record(key, null, reason, false);
      this.logger.warn(`${what} attempt ${attempt}: no answer, will retry: ${reason}`);
      throw new Error(`INTERPOL gateway unreachable for ${what}: ${reason}`, { cause: err });
    }

    const { status, body } = response;
    if (isSuccess(status)) {
      await this.record(key, status, null, true);
      this.logger.log(`${what} attempt ${attempt}: accepted (${status})`);
      return;
    }
    const detail = detailOf(body);
    await this.record(key, status, detail, false);
    if (isRetryable(status)) {
      this.logger.warn(`${what} attempt ${attempt}: ${status}, will retry`);
      throw new Error(`INTERPOL gateway answered ${status} to ${what}: ${detail}`);
    }
    this.logger.error(`${what} attempt ${attempt}: refused with ${status}, not retried`);
    throw ApplicationFailure.nonRetryable(
      `INTERPOL refused the ${type} of ${reference} with ${status}: ${detail}`,
      INTERPOL_REFUSED,
      { status, detail },
    );
  }

  /** Keeps the last HTTP status when an attempt got no answer at all. */
  private async record(
    key: string,
    status: number | null,
    error: string | null,
    delivered: boolean,
  ): Promise<void> {
    await this.db.query(
      `UPDATE outbound_messages SET
         last_status = COALESCE($2, last_status), last_error = $3,
         delivered_at = CASE WHEN $4 THEN now() ELSE delivered_at END
       WHERE idempotency_key = $1`,
      [key, status, error, delivered],
    );
  }
}
