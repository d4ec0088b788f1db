import { Injectable } from '@nestjs/common';
import type { CountryBehaviour, LogEntry, RequestControl, SimRequest } from './sim.types';

const MAX_LOG_ENTRIES = 5000;

export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** All simulator state, in memory: it is a simulator, and a reset must forget everything. */
@Injectable()
export class SimState {
  private readonly requests = new Map<string, SimRequest>();
  /** Request content per reference, kept out of the control view (it can be large and is sensitive). */
  private readonly contents = new Map<string, Record<string, unknown>>();
  private readonly idempotent = new Map<string, StoredAnswer>();
  private readonly countryDefaults = new Map<string, CountryBehaviour>();
  private readonly entries: LogEntry[] = [];
  private readonly counters = new Map<string, number>();
  private seq = 0;

  find(reference: string): SimRequest | undefined {
    return this.requests.get(reference);
  }

  getOrCreate(reference: string): SimRequest {
    let request = this.requests.get(reference);
    if (!request) {
      request = {
        reference,
        stage: 'awaiting_submission',
        control: {},
        answeringCountries: [],
        submissionAttempts: 0,
        failedSubmissionAttempts: 0,
        submissions: [],
        diffusions: [],
        queryAnswers: [],
        withdrawals: [],
        idempotencyKeys: [],
        decisions: [],
        responses: [],
        orders: [],
      };
      this.requests.set(reference, request);
    }
    return request;
  }

  all(): SimRequest[] {
    return [...this.requests.values()];
  }

  updateControl(reference: string, patch: RequestControl): SimRequest {
    const request = this.getOrCreate(reference);
    const { countries, ...rest } = patch;
    Object.assign(request.control, dropUndefined(rest));
    if (countries) request.control.countries = { ...request.control.countries, ...countries };
    return request;
  }

  setContent(reference: string, content: Record<string, unknown>): void {
    this.contents.set(reference, content);
  }

  content(reference: string): Record<string, unknown> | undefined {
    return this.contents.get(reference);
  }

  setCountryDefault(country: string, behaviour: CountryBehaviour): void {
    this.countryDefaults.set(country, behaviour);
  }

  countryDefaultsView(): Record<string, CountryBehaviour> {
    return Object.fromEntries(this.countryDefaults);
  }

  /** Per request first, then the country's global default, then `found`. */
  behaviourOf(request: SimRequest, country: string): CountryBehaviour {
    return request.control.countries?.[country] ?? this.countryDefaults.get(country) ?? 'found';
  }

  noteIdempotencyKey(request: SimRequest, path: string, key: string): void {
    const seen = request.idempotencyKeys.find((k) => k.path === path && k.key === key);
    if (seen) seen.count++;
    else request.idempotencyKeys.push({ path, key, count: 1, firstSeenAt: now() });
  }

  storedAnswer(path: string, key: string): StoredAnswer | undefined {
    return this.idempotent.get(`${path}\n${key}`);
  }

  storeAnswer(path: string, key: string | undefined, answer: StoredAnswer): void {
    if (key !== undefined) this.idempotent.set(`${path}\n${key}`, answer);
  }

  /** Monotonic counter per name, e.g. external references per country and request. */
  next(name: string): number {
    const n = (this.counters.get(name) ?? 0) + 1;
    this.counters.set(name, n);
    return n;
  }

  log(
    direction: LogEntry['direction'],
    event: string,
    reference?: string,
    detail?: Record<string, unknown>,
  ): void {
    this.entries.push({ seq: ++this.seq, at: now(), direction, event, reference, detail });
    if (this.entries.length > MAX_LOG_ENTRIES)
      this.entries.splice(0, this.entries.length - MAX_LOG_ENTRIES);
  }

  logView(reference?: string): LogEntry[] {
    return reference ? this.entries.filter((e) => e.reference === reference) : [...this.entries];
  }

  reset(): void {
    this.requests.clear();
    this.contents.clear();
    this.idempotent.clear();
    this.countryDefaults.clear();
    this.entries.length = 0;
    // Counters survive a reset so notice ids and external references are never issued twice.
  }
}

export function now(): string {
  return new Date().toISOString();
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
