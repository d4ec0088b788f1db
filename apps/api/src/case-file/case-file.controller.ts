import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseFileDto } from '../../../../libs/domain/src/dto';
import type { AuthUser } from '../auth/actor';
import { Action, CurrentUser } from '../auth/decorators';
import { requestId } from '../trace-requests/params';
import { CaseFile, CaseFileService } from './case-file.service';

@ApiTags('case files')
@ApiBearerAuth()
@Controller('api/v1/trace-requests/:id/case-file')
export class CaseFileController {
  constructor(private readonly service: CaseFileService) {}

  /** A POST: each export is an audited act, and its permissions travel in the body. */
  @Post()
  @HttpCode(200)
  @Action('trace-requests.case-file')
  @ApiOperation({
    summary: 'Export the case file under the handling codes',
    description:
      'Request, timeline, country tracks and answers, asset register. H2 and H3 answers (with ' +
      'their assets) are left out unless `permissions` records the source’s permission for ' +
      'them ({ answerId, reference }); H1 content carries evidenceMark "not for use as ' +
      'evidence". Audited with the permission references.',
  })
  export(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Body() body: CaseFileDto,
  ): Promise<CaseFile> {
    return this.service.build(user, id, body);
  }
}
