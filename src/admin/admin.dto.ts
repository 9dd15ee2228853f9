import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NOT_NULL_UUID, RejectNull } from '../prefect-compat/validation/model-validators';
import { IsLaxUuid, Required } from '../prefect-compat/validation/validators';

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
  @RejectNull(...NOT_NULL_UUID)
  @IsLaxUuid()
  default_result_storage_block_id: string;
}
