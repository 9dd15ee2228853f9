import { ApiSchema } from '@nestjs/swagger';
import { FieldsBody } from '../../../prefect-compat/validation/body-kind';
import { NestedFilter } from '../../../query-filters/language';
import { WorkPoolFilter } from '../../../query-filters/schemas/work-pool-filter.dto';
import { WorkQueueFilter } from '../../../query-filters/schemas/work-queue-filter.dto';
import { LimitField, OffsetField, resolveLimit } from '../../query-bodies';

@ApiSchema({ name: 'Body_read_work_pools_work_pools_filter_post' })
@FieldsBody()
export class ReadWorkPoolsBody {
  static beforeValidation = resolveLimit;

  @NestedFilter(WorkPoolFilter, { description: 'Filter criteria for work pools' })
  work_pools?: WorkPoolFilter | null;

  @LimitField()
  limit: number;

  @OffsetField()
  offset?: number;
}

@ApiSchema({ name: 'Body_count_work_pools_work_pools_count_post' })
@FieldsBody()
export class CountWorkPoolsBody {
  @NestedFilter(WorkPoolFilter, { description: 'Filter criteria for work pools' })
  work_pools?: WorkPoolFilter | null;
}

@ApiSchema({ name: 'Body_read_work_queues_work_pools__work_pool_name__queues_filter_post' })
@FieldsBody()
export class ReadWorkQueuesBody {
  static beforeValidation = resolveLimit;

  @NestedFilter(WorkQueueFilter, { description: 'Filter criteria for work pool queues' })
  work_queues?: WorkQueueFilter | null;

  @LimitField()
  limit: number;

  @OffsetField()
  offset?: number;
}
