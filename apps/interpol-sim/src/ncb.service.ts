import { ConflictException, Inject, Injectable } from '@nestjs/common';
import {
  INTERPOL_PATHS,
  SILVERTRACE_GATEWAY_PATHS,
  type ForeignAsset,
  type ForeignOutcome,
  type ForeignResponseMessage,
} from '../../../libs/gateway/src';
import { DeliveryService } from './delivery.service';
import { foundCount, ncbName, plausibleAssets } from './plausible-assets';
import { SimState, now, type StoredAnswer } from './sim-state';
import { SimTimers } from './sim-timers';
import type { DiffusionDto, RespondDto } from './sim.dto';
import {
  DEFAULT_HANDLING,
  SIM_OPTIONS,
  type CountryBehaviour,
  type ResolvedSimOptions,
  type ResponseDelivery,
  type SimHandling,
  type SimRequest,
} from './sim.types';
import { replayOf } from './idempotency';

interface Step {
  outcome: ForeignOutcome;
  /** Computed when sent, so the request content known by then is used. */
  assets?: () => ForeignAsset[];
  narrative?: string;
}

const DECLINE_REASON =
  'Declined: national law requires an order of a domestic court before financial information is ' +
  'disclosed to a foreign authority. Please proceed by mutual legal assistance.';

/** The foreign NCBs: each target country answers by its configured behaviour. */
@Injectable()
export class NcbService {
  private readonly started = new WeakSet<SimRequest>();

  constructor(
    @Inject(SIM_OPTIONS) private readonly options: ResolvedSimOptions,
    private readonly state: SimState,
    private readonly timers: SimTimers,
    private readonly delivery: DeliveryService,
  ) {}

  receiveDiffusion(dto: DiffusionDto, idempotencyKey: string | undefined): StoredAnswer {
    const path = INTERPOL_PATHS.diffusions;
    const request = this.state.getOrCreate(dto.reference);
    const replay = replayOf(this.state, request, path, idempotencyKey);
    if (replay) return replay;
    if (request.kind === 'notice') {
      throw new ConflictException(`${dto.reference} was already submitted as a notice`);
    }
    if (request.diffusions.length > 0) {
      throw new ConflictException(`${dto.reference} was already diffused`);
    }

    const receivedAt = now();
    const diffusionId = `NCB-DIF-${String(this.state.next('diffusion')).padStart(5, '0')}`;
    request.kind = 'diffusion';
    request.stage = 'diffused';
    request.requestingCountry = dto.requestingCountry;
    request.diffusions.push({
      diffusionId,
      receivedAt,
      idempotencyKey,
      requestId: dto.requestId,
      requestingCountry: dto.requestingCountry,
      targetCountries: dto.targetCountries,
      contentHash: dto.contentHash,
    });
    this.state.setContent(dto.reference, dto.content);
    const answer: StoredAnswer = { status: 202, body: { diffusionId, receivedAt } };
    this.state.storeAnswer(path, idempotencyKey, answer);
    this.state.log('in', 'diffusion_received', dto.reference, {
      diffusionId,
      idempotencyKey,
      targetCountries: dto.targetCountries,
    });
    this.startAnswering(request, this.withoutRequester(dto.targetCountries, dto.requestingCountry));
    return answer;
  }

  /** Who answers a published notice: its targets, and for `allMembers` the simulated membership. */
  noticeTargets(request: SimRequest): string[] {
    const submission = request.submissions.at(-1);
    if (!submission) return [];
    const countries = [...(submission.targetCountries ?? [])];
    if (submission.allMembers) {
      countries.push(
        ...this.options.memberCountries,
        ...Object.keys(request.control.countries ?? {}),
        ...Object.keys(this.state.countryDefaultsView()),
      );
    }
    return this.withoutRequester(countries, submission.requestingCountry);
  }

  /** Starts each country's exchange once per request, however often the GS re-sends "published". */
  startAnswering(request: SimRequest, countries: string[]): void {
    if (this.started.has(request)) return;
    this.started.add(request);
    request.answeringCountries = countries;
    for (const country of countries) void this.runCountry(request, country);
  }

  /** Operator-forced answer: sent whatever the request's stage, to exercise silvertrace's checks. */
  respondNow(reference: string, country: string, dto: RespondDto): ResponseDelivery {
    const request = this.state.getOrCreate(reference);
    const generated =
      dto.outcome === 'assets_found' || dto.outcome === 'partial'
        ? plausibleAssets({
            reference,
            country,
            content: this.state.content(reference),
            count: 1,
            offset: request.responses.filter((r) => r.message.country === country).length,
          })
        : undefined;
    this.state.log('control', 'respond_now', reference, { country, outcome: dto.outcome });
    const { outcome, assets, narrative, ...handling } = dto;
    return this.send(
      request,
      country,
      {
        outcome,
        assets: assets ?? generated,
        narrative: narrative ?? narrativeFor(outcome, country, assets?.length ?? 1),
      },
      handling,
    ).delivery;
  }

  private async runCountry(request: SimRequest, country: string): Promise<void> {
    const behaviour = this.state.behaviourOf(request, country);
    this.state.log('sim', 'country_answering', request.reference, { country, behaviour });
    const content = (): Record<string, unknown> | undefined =>
      this.state.content(request.reference);
    for (const step of stepsFor(behaviour, request.reference, country, content)) {
      const elapsed = await this.timers.sleep(this.options.responseDelayMs, [
        `ncb:${request.reference}`,
      ]);
      if (!elapsed || !this.isAnswerable(request)) {
        this.state.log('sim', 'country_stopped', request.reference, { country });
        return;
      }
      await this.send(request, country, {
        outcome: step.outcome,
        assets: step.assets?.(),
        narrative: step.narrative,
      }).settled;
    }
    this.state.log('sim', 'country_done', request.reference, { country, behaviour });
  }

  /** Countries answer only a live publication or diffusion (not after a withdrawal or a reset). */
  private isAnswerable(request: SimRequest): boolean {
    return (
      this.state.find(request.reference) === request &&
      (request.stage === 'published' || request.stage === 'diffused')
    );
  }

  /** The answer's handling: the call's own fields over the request's control over the defaults. */
  private handlingOf(request: SimRequest, own: Partial<SimHandling> = {}): SimHandling {
    const merged: SimHandling = { ...DEFAULT_HANDLING };
    for (const layer of [request.control.handling ?? {}, own]) {
      // A restriction set for H3 does not linger on a layer that names another code.
      if (layer.handlingCode !== undefined) delete merged.handlingRestriction;
      for (const [k, v] of Object.entries(layer)) {
        if (v !== undefined) Object.assign(merged, { [k]: v });
      }
    }
    return merged;
  }

  private send(
    request: SimRequest,
    country: string,
    content: { outcome: ForeignOutcome; assets?: ForeignAsset[]; narrative?: string },
    ownHandling?: Partial<SimHandling>,
  ): { delivery: ResponseDelivery; settled: Promise<unknown> } {
    const handling = this.handlingOf(request, ownHandling);
    const n = this.state.next(`response:${request.reference}:${country}`);
    // Stable per message: redeliveries reuse it, and it doubles as the Idempotency-Key.
    const externalReference = `${country}-${request.reference}-${n}`;
    const message: ForeignResponseMessage = {
      reference: request.reference,
      country,
      outcome: content.outcome,
      externalReference,
      ...(content.assets?.length ? { assets: content.assets } : {}),
      ...(content.narrative ? { narrative: content.narrative } : {}),
      ...handling,
    };
    const sent = this.delivery.send(
      SILVERTRACE_GATEWAY_PATHS.responses,
      externalReference,
      message,
      request.reference,
    );
    request.responses.push(sent.delivery);
    this.state.log('out', 'response_sent', request.reference, {
      country,
      outcome: content.outcome,
      externalReference,
      handlingCode: handling.handlingCode,
    });
    return sent;
  }

  private withoutRequester(countries: string[], requester: string): string[] {
    return [...new Set(countries.map((c) => c.toUpperCase()))].filter((c) => c !== requester);
  }
}

function stepsFor(
  behaviour: CountryBehaviour,
  reference: string,
  country: string,
  content: () => Record<string, unknown> | undefined,
): Step[] {
  const ack: Step = {
    outcome: 'acknowledged',
    narrative: narrativeFor('acknowledged', country, 0),
  };
  const assets =
    (count: number, offset = 0) =>
    (): ForeignAsset[] =>
      plausibleAssets({ reference, country, content: content(), count, offset });
  switch (behaviour) {
    case 'found': {
      const count = foundCount(reference, country);
      return [
        ack,
        {
          outcome: 'assets_found',
          assets: assets(count),
          narrative: narrativeFor('assets_found', country, count),
        },
      ];
    }
    case 'none':
      return [ack, { outcome: 'no_assets', narrative: narrativeFor('no_assets', country, 0) }];
    case 'partial':
      return [
        ack,
        { outcome: 'partial', assets: assets(1), narrative: narrativeFor('partial', country, 1) },
        {
          outcome: 'assets_found',
          assets: assets(1, 1),
          narrative: narrativeFor('assets_found', country, 1),
        },
      ];
    case 'declined':
      return [{ outcome: 'declined', narrative: narrativeFor('declined', country, 0) }];
    case 'silent':
      return [];
  }
}

function narrativeFor(outcome: ForeignOutcome, country: string, assetCount: number): string {
  const ncb = ncbName(country);
  switch (outcome) {
    case 'acknowledged':
      return `${ncb} acknowledges receipt and has opened enquiries with the national land, company, vehicle and banking registers.`;
    case 'assets_found':
      return `${ncb}: register enquiries identified ${assetCount} asset(s) linked to the subject. Details below; freezing requires a mutual legal assistance request.`;
    case 'no_assets':
      return `${ncb}: searches of the land, company, vehicle and banking registers found no assets linked to the subject.`;
    case 'partial':
      return `${ncb}: preliminary results below; banking enquiries are still running and will follow.`;
    case 'declined':
      return `${ncb}. ${DECLINE_REASON}`;
  }
}
