import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsStrList } from '../../prefect-compat/validation';

/** Data used by the Prefect REST API to update a flow. Only `tags` can change. */
export class FlowUpdate {
  @ApiPropertyOptional({ description: 'A list of flow tags', type: [String], example: ['tag-1', 'tag-2'] })
  @IsStrList()
  tags?: string[];
}
