import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Response } from 'express';
import {
  AssignDto,
  BreakGlassDto,
  CloseDto,
  CreateTraceRequestDto,
  InterpolSubmissionDto,
  QueryAnswerDto,
  ReviewDto,
  SuspendDto,
  UpdateTraceRequestDto,
  WithdrawDto,
} from '../../../../libs/domain/src/dto';
import type { Page, TraceRequestSummary } from '../../../../libs/domain/src/api-types';
import { REQUEST_STATUSES } from '../../../../libs/domain/src/enums';
import type { AuthUser } from '../auth/actor';
import { Action, CurrentUser } from '../auth/decorators';
import { ListTraceRequestsQuery, MAX_LIMIT } from './list-query.dto';
import { checkIdempotencyKey, ifMatchVersion, requestId } from './params';
import { TraceRequestsService } from './trace-requests.service';
import type { TraceRequestView } from './view';

const STRING: SchemaObject = { type: 'string' };
const DATE_TIME: SchemaObject = { type: 'string', format: 'date-time' };

/** A list item (TraceRequestSummary in libs/domain/src/api-types.ts). */
const SUMMARY: SchemaObject = {
  type: 'object',
  required: [
    'id',
    'reference',
    'status',
    'kind',
    'urgency',
    'caseReference',
    'subjectName',
    'subject',
    'requestingCountry',
    'allMembers',
    'targetCountries',
    'countryStatuses',
    'nextDeadline',
    'version',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    reference: STRING,
    status: { type: 'string', enum: [...REQUEST_STATUSES] },
    kind: { type: 'string', enum: ['notice', 'diffusion'] },
    urgency: { type: 'string', enum: ['normal', 'urgent'] },
    caseReference: STRING,
    subjectName: STRING,
    subject: {
      type: 'object',
      properties: { familyName: STRING, givenNames: STRING },
    },
    requestingCountry: STRING,
    allMembers: { type: 'boolean' },
    targetCountries: { type: 'array', items: STRING, description: 'those the caller may see' },
    countryStatuses: {
      type: 'object',
      additionalProperties: { type: 'integer' },
      description: 'country tracks by status, e.g. { "AWAITING": 2, "ANSWERED": 1 }',
    },
    nextDeadline: { ...DATE_TIME, nullable: true, description: 'of a country yet to answer' },
    version: { type: 'integer' },
    createdAt: DATE_TIME,
    updatedAt: DATE_TIME,
  },
};

const PAGE: SchemaObject = {
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: SUMMARY },
    nextCursor: { type: 'string', nullable: true },
  },
};

const versioned = (res: Response, view: TraceRequestView): TraceRequestView => {
  res.setHeader('ETag', `"${view.version}"`);
  return view;
};

@ApiTags('trace requests')
@ApiBearerAuth()
@Controller('api/v1/trace-requests')
export class TraceRequestsController {
  constructor(private readonly service: TraceRequestsService) {}

  @Post()
  @Action('trace-requests.create')
  @ApiOperation({ summary: 'Draft a new trace request (starts its workflow)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateTraceRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    const { view } = await this.service.create(user, body, checkIdempotencyKey(idempotencyKey));
    res.status(201).location(`/api/v1/trace-requests/${view.id}`);
    return versioned(res, view);
  }

  @Get()
  @Action('trace-requests.list')
  @ApiOperation({
    summary: 'The requests the caller may see, newest first, filtered; one page at a time',
  })
  @ApiQuery({ name: 'status', required: false, description: REQUEST_STATUSES.join(', ') })
  @ApiQuery({ name: 'country', required: false, description: 'a target country' })
  @ApiQuery({ name: 'kind', required: false, enum: ['notice', 'diffusion'] })
  @ApiQuery({ name: 'urgency', required: false, enum: ['normal', 'urgent'] })
  @ApiQuery({
    name: 'q',
    required: false,
    description: 'reference, case reference, subject name or alias, asset identifier (IBAN...)',
  })
  @ApiQuery({ name: 'createdFrom', required: false, description: 'ISO date or date-time' })
  @ApiQuery({
    name: 'createdTo',
    required: false,
    description: 'ISO date (inclusive) or date-time',
  })
  @ApiQuery({ name: 'limit', required: false, description: `1 to ${MAX_LIMIT}, default 20` })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiOkResponse({ description: 'A page of summaries (the full view is GET /{id})', schema: PAGE })
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListTraceRequestsQuery,
  ): Promise<Page<TraceRequestSummary>> {
    return this.service.list(user, query);
  }

  @Get(':id')
  @Action('trace-requests.get')
  @ApiOperation({ summary: 'One trace request as it now stands, with allowedActions' })
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    return versioned(res, await this.service.get(user, id));
  }

  @Patch(':id')
  @Action('trace-requests.edit')
  @ApiOperation({ summary: 'Edit a DRAFT or CHANGES_REQUESTED request (whole content)' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'the version edited' })
  async edit(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateTraceRequestDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    const version = ifMatchVersion(ifMatch, true);
    return versioned(res, await this.service.edit(user, id, body, version));
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Action('trace-requests.submit')
  @ApiOperation({ summary: 'Submit for national review -> IN_REVIEW' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the version submitted' })
  async submit(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    return versioned(res, await this.service.submit(user, id, ifMatchVersion(ifMatch, false)));
  }

  @Post(':id/review')
  @HttpCode(200)
  @Action('trace-requests.review')
  @ApiOperation({
    summary: 'National review (four-eyes): approve, reject or request changes',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the version reviewed' })
  async review(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: ReviewDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    return versioned(
      res,
      await this.service.review(user, id, body, ifMatchVersion(ifMatch, false)),
    );
  }

  @Post(':id/interpol-submission')
  @HttpCode(200)
  @Action('trace-requests.interpol-submission')
  @ApiOperation({
    summary: 'Submit to INTERPOL with the compliance attestation -> SUBMITTED (409 quota spent)',
  })
  async submitToInterpol(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Body() body: InterpolSubmissionDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    return versioned(res, await this.service.submitToInterpol(user, id, body));
  }

  @Post(':id/query-answers')
  @HttpCode(200)
  @Action('trace-requests.query-answers')
  @ApiOperation({ summary: "Answer the General Secretariat's query -> SUBMITTED" })
  async answerQuery(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Body() body: QueryAnswerDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    return versioned(res, await this.service.answerQuery(user, id, body));
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Action('trace-requests.withdraw')
  @ApiOperation({ summary: 'Withdraw the request -> WITHDRAWN' })
  async withdraw(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Body() body: WithdrawDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    return versioned(res, await this.service.withdraw(user, id, body));
  }

  @Post(':id/assignments')
  @HttpCode(200)
  @Action('trace-requests.assign')
  @ApiOperation({
    summary: 'Assign an investigator of the country to the case (its drafter or a supervisor)',
  })
  async assign(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Body() body: AssignDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    return versioned(res, await this.service.assign(user, id, body));
  }

  @Post(':id/break-glass')
  @HttpCode(200)
  @Action('trace-requests.break-glass')
  @ApiOperation({
    summary:
      'Open a case of your country you are not assigned to, giving a reason (read only; audited; ' +
      "shown to the country's supervisors)",
  })
  async breakGlass(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Body() body: BreakGlassDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    return versioned(res, await this.service.breakGlass(user, id, body));
  }

  @Post(':id/suspension')
  @HttpCode(200)
  @Action('trace-requests.suspend')
  @ApiOperation({
    summary:
      'Suspend a PUBLISHED or COMPLETED request (at most 6 months; until or duration); on a suspended one, extend it once. Country deadlines pause.',
  })
  async suspend(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Body() body: SuspendDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    return versioned(res, await this.service.suspend(user, id, body));
  }

  @Post(':id/resumption')
  @HttpCode(200)
  @Action('trace-requests.resume')
  @ApiOperation({
    summary:
      'Lift the suspension now (not one the General Secretariat ordered); deadlines run again',
  })
  async resume(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    return versioned(res, await this.service.resume(user, id));
  }

  @Post(':id/close')
  @HttpCode(200)
  @Action('trace-requests.close')
  @ApiOperation({ summary: 'Close a COMPLETED request with a summary -> CLOSED' })
  async close(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Body() body: CloseDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    return versioned(res, await this.service.close(user, id, body));
  }
}
