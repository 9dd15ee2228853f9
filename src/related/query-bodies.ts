/**
 * The pieces the listing bodies of the related resources share (flow runs, task runs, deployments, work pools):
 * the filter groups each route takes, as Prefect's routes declare them, and the limit/offset fields. The filter
 * objects are the ones the flows query uses; only the set of groups differs per route.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsLaxInt } from '../prefect-compat/validation';
import { NestedFilter } from '../query-filters/language';
import { DeploymentFilter } from '../query-filters/schemas/deployment-filter.dto';
import { FlowFilter } from '../query-filters/schemas/flow-filter.dto';
import { FlowRunFilter } from '../query-filters/schemas/flow-run-filter.dto';
import { TaskRunFilter } from '../query-filters/schemas/task-run-filter.dto';
import { WorkQueueFilter } from '../query-filters/schemas/work-queue-filter.dto';
import { FlowQueryFilters, LIMIT_DOCS } from '../flows/dto/flows-query.dto';

export { resolveLimit } from '../flows/dto/flows-query.dto';

/** `limit`: resolved (default, 422-L bounds) by `resolveLimit` before validation, so always set afterwards. */
export const LimitField = (): PropertyDecorator => applyDecorators(ApiPropertyOptional(LIMIT_DOCS), IsLaxInt());

export const OffsetField = (): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 }), IsLaxInt({ ge: 0 }));

/** The flows query's five groups plus `work_pool_queues`: what flow-run and deployment listings take. */
export class RunQueryFilters extends FlowQueryFilters {
  @NestedFilter(WorkQueueFilter, { description: 'Filter criteria for work pool queues' })
  work_pool_queues?: WorkQueueFilter | null;
}

/** Task-run listings take four groups: no work pool or queue filter (Prefect's route declares none). */
export class TaskRunQueryFilters {
  @NestedFilter(FlowFilter, { description: 'Filter criteria for flows' })
  flows?: FlowFilter | null;

  @NestedFilter(FlowRunFilter, { description: 'Filter criteria for flow runs' })
  flow_runs?: FlowRunFilter | null;

  @NestedFilter(TaskRunFilter, { description: 'Filter criteria for task runs' })
  task_runs?: TaskRunFilter | null;

  @NestedFilter(DeploymentFilter, { description: 'Filter criteria for deployments' })
  deployments?: DeploymentFilter | null;
}
