import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LABELS_SCHEMA, Labels, NAME_PATTERN } from './flow-create.dto';

/** An ORM representation of flow data: the response body for one flow. */
export class Flow {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  created: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updated: string;

  @ApiProperty({ description: 'The name of the flow', pattern: NAME_PATTERN, example: 'my-flow' })
  name: string;

  @ApiProperty({ description: 'A list of flow tags', type: [String], example: ['tag-1', 'tag-2'], required: false })
  tags: string[];

  @ApiPropertyOptional({
    description: 'A dictionary of key-value labels. Values can be strings, numbers, or booleans.',
    ...LABELS_SCHEMA,
  })
  labels: Labels | null;
}
