import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';

/**
 * Prefect's `GET /automations/related-to/{resource_id}`, which `prefect deployment inspect` calls for every
 * deployment it shows. This service stores no automations, so nothing is related to any resource.
 */
@ApiTags('Automations')
@Controller('automations')
export class RelatedAutomationsController {
  @Get('related-to/:resource_id')
  @ApiOperation({
    summary: 'Read Automations Related To Resource',
    operationId: 'read_automations_related_to_resource_automations_related_to__resource_id__get',
    description: 'The automations related to a resource: always none here (automations are not stored).',
  })
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'object' }, maxItems: 0 } })
  @ApiUnprocessableEntityResponse({ description: 'Validation Error' })
  readRelatedToResource(@Param('resource_id') _resourceId: string): unknown[] {
    return [];
  }
}
