import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AuditEntryView, VerifyResult } from '../../../../libs/audit/src';
import type { AuthUser } from '../auth/actor';
import { Action, CurrentUser } from '../auth/decorators';
import { auditActor, AuditRecorder } from './audit-recorder.service';
import {
  AUDIT_DEFAULT_LIMIT,
  AUDIT_MAX_LIMIT,
  AuditEntriesQuery,
  AuditExportQuery,
} from './audit-query.dto';
import { AuditService, type CheckpointsView } from './audit.service';

/** CSV columns, in order; `details` as its JSON. */
const CSV_COLUMNS: (keyof AuditEntryView)[] = [
  'seq',
  'at',
  'actor',
  'role',
  'country',
  'action',
  'objectType',
  'objectId',
  'traceRequestId',
  'outcome',
  'requestId',
  'details',
  'idempotencyKey',
  'prevHash',
  'hash',
];

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly service: AuditService,
    private readonly recorder: AuditRecorder,
  ) {}

  @Get('verify')
  @Action('audit.verify')
  @ApiOperation({
    summary:
      'Walks the hash-chained audit log and checks its signed checkpoints; names the first ' +
      'broken entry and the first contradicted checkpoint, if any',
  })
  verify(): Promise<VerifyResult> {
    return this.service.verify();
  }

  @Get('checkpoints')
  @Action('audit.checkpoints')
  @ApiOperation({
    summary:
      'The signed checkpoints (Ed25519) and the public keys the API checks them with, for an ' +
      'auditor to check an export independently (`silvertrace audit verify --checkpoints`)',
  })
  checkpoints(): Promise<CheckpointsView> {
    return this.service.checkpoints();
  }

  @Get('entries')
  @Action('audit.entries')
  @ApiOperation({ summary: 'Audit entries, oldest first, filtered; one page at a time' })
  @ApiQuery({ name: 'requestId', required: false, description: 'the trace request concerned' })
  @ApiQuery({ name: 'actor', required: false, description: 'username or system id' })
  @ApiQuery({ name: 'action', required: false, description: 'e.g. trace-requests.get' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO date or date-time (inclusive)' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO date or date-time (inclusive)' })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `1 to ${AUDIT_MAX_LIMIT}, default ${AUDIT_DEFAULT_LIMIT}`,
  })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  entries(@Query() query: AuditEntriesQuery) {
    return this.service.entries(query);
  }

  @Get('export')
  @Action('audit.export')
  @ApiOperation({ summary: 'Every entry in a time range, streamed as CSV or JSON' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO date or date-time (inclusive)' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO date or date-time (inclusive)' })
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'json'], description: 'default json' })
  @ApiProduces('application/json', 'text/csv')
  async export(
    @CurrentUser() user: AuthUser,
    @Query() query: AuditExportQuery,
    @Res() res: Response,
  ): Promise<void> {
    const format = query.format ?? 'json';
    // Recorded before the first byte leaves: an export is an audit fact even if it is cut off.
    await this.recorder.record({
      ...auditActor(user, 'audit.export'),
      action: 'audit.export',
      outcome: 'success',
      details: { from: query.from ?? null, to: query.to ?? null, format },
    });
    const name = `audit-${query.from ?? 'start'}-${query.to ?? 'now'}.${format}`.replace(
      /[^\w.-]/g,
      '_',
    );
    res.status(200);
    res.setHeader('content-disposition', `attachment; filename="${name}"`);
    const entries = Readable.from(this.service.range(query));
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8');
      const csv = stringify({
        header: true,
        columns: CSV_COLUMNS,
        cast: { object: (v) => JSON.stringify(v) },
      });
      await pipeline(entries, csv, res);
    } else {
      res.type('application/json');
      await pipeline(entries, jsonArray(), res);
    }
  }
}

/** Objects in, one JSON array out, an item at a time. */
function jsonArray() {
  let first = true;
  return async function* (source: AsyncIterable<unknown>) {
    yield '[';
    for await (const item of source) {
      yield (first ? '' : ',\n') + JSON.stringify(item);
      first = false;
    }
    yield ']\n';
  };
}
