import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsLaxUuid, Required } from '../prefect-compat/validation';

/** Server-side default result storage configuration. */
export class ServerDefaultResultStorage {
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The block document ID of the server default result storage block.',
  })
  default_result_storage_block_id: string | null;
}

/** Request payload for setting the server default result storage block. */
export class ServerDefaultResultStorageUpdate {
  @ApiProperty({
    type: String,
    format: 'uuid',
    description: 'The block document ID of the server default result storage block.',
  })
  @Required()
  @IsLaxUuid()
  default_result_storage_block_id: string;
}
