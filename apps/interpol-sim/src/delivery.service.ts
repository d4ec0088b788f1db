import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { isSuccess, postSigned } from '../../../libs/gateway/src';
import { SimState, now } from './sim-state';
import { SimTimers } from './sim-timers';
import { SIM_OPTIONS, type Delivery, type ResolvedSimOptions } from './sim.types';

/**
 * Posts signed messages to silvertrace, retrying any non-2xx or transport failure with capped
 * exponential backoff. The same Idempotency-Key and body go out on every attempt, so the receiver
 * can drop duplicates; the signature is fresh each time (its timestamp must stay within 300 s).
 */
@Injectable()
export class DeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger('InterpolSimDelivery');
  private aborter = new AbortController();
  private seq = 0;

  constructor(
    @Inject(SIM_OPTIONS) private readonly options: ResolvedSimOptions,
    private readonly state: SimState,
    private readonly timers: SimTimers,
  ) {}

  /** Records the delivery and starts it; `settled` resolves (never rejects) once it ends. */
  send<T>(
    path: string,
    idempotencyKey: string,
    message: T,
    reference: string,
  ): { delivery: Delivery<T>; settled: Promise<Delivery<T>> } {
    const delivery: Delivery<T> = {
      id: `out-${++this.seq}`,
      url: `${this.options.apiUrl.replace(/\/+$/, '')}${path}`,
      idempotencyKey,
      message,
      status: 'pending',
      attempts: 0,
      createdAt: now(),
    };
    return { delivery, settled: this.run(delivery, reference) };
  }

  /** Stops in-flight requests and backoffs; used by reset and close. */
  abortAll(): void {
    this.aborter.abort();
    this.aborter = new AbortController();
  }

  onModuleDestroy(): void {
    this.aborter.abort();
  }

  private async run<T>(delivery: Delivery<T>, reference: string): Promise<Delivery<T>> {
    const { maxAttempts, baseDelayMs, maxDelayMs, timeoutMs } = this.options.delivery;
    const signal = this.aborter.signal;
    const retryTag = `retry:${reference}`;

    while (delivery.attempts < maxAttempts) {
      if (signal.aborted) break;
      delivery.attempts++;
      try {
        const result = await postSigned(delivery.url, delivery.message, {
          secret: this.options.secret,
          idempotencyKey: delivery.idempotencyKey,
          timeoutMs,
          signal,
        });
        delivery.lastStatus = result.status;
        if (isSuccess(result.status)) {
          delivery.status = 'delivered';
          delivery.deliveredAt = now();
          delete delivery.lastError;
          this.state.log('out', 'delivered', reference, {
            url: delivery.url,
            idempotencyKey: delivery.idempotencyKey,
            status: result.status,
            attempts: delivery.attempts,
          });
          return delivery;
        }
        delivery.lastError = `HTTP ${result.status}: ${summarise(result.body)}`;
      } catch (err) {
        delivery.lastError = err instanceof Error ? err.message : String(err);
      }
      if (signal.aborted) break;
      this.logger.warn(
        `delivery ${delivery.idempotencyKey} attempt ${delivery.attempts}/${maxAttempts} failed: ${delivery.lastError}`,
      );
      this.state.log('out', 'delivery_failed', reference, {
        url: delivery.url,
        idempotencyKey: delivery.idempotencyKey,
        attempt: delivery.attempts,
        error: delivery.lastError,
      });
      if (delivery.attempts >= maxAttempts) break;
      const backoff = Math.min(baseDelayMs * 2 ** (delivery.attempts - 1), maxDelayMs);
      if (!(await this.timers.sleep(backoff, [retryTag]))) break;
    }

    delivery.status = signal.aborted || delivery.attempts < maxAttempts ? 'cancelled' : 'failed';
    if (delivery.status === 'failed') {
      this.logger.error(
        `delivery ${delivery.idempotencyKey} given up after ${delivery.attempts} attempts`,
      );
    }
    this.state.log('out', `delivery_${delivery.status}`, reference, {
      url: delivery.url,
      idempotencyKey: delivery.idempotencyKey,
      attempts: delivery.attempts,
    });
    return delivery;
  }
}

function summarise(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}
