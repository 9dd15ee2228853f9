/**
 * Bodies of the flow query endpoints (filter, count, paginate, bulk_delete). Each is a set
 * of named fields (compat C3): unknown top-level keys are ignored and null means default;
 * the filter objects inside reject unknown keys at every depth.
 */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { NestedFilter } from '../../query-filters/language';
import { LimitError } from '../../prefect-compat/validation/pydantic-error';
import { DeploymentFilter } from '../../query-filters/schemas/deployment-filter.dto';
import { FlowRunFilter } from '../../query-filters/schemas/flow-run-filter.dto';
import { TaskRunFilter } from '../../query-filters/schemas/task-run-filter.dto';
import { WorkPoolFilter } from '../../query-filters/schemas/work-pool-filter.dto';
import { Flow } from './flow.dto';
import { FlowFilter } from '../../query-filters/schemas/flow-filter.dto';
import { FLOW_SORTS, FlowSort } from './flow-sort';
import { FieldsBody, IsEnumValue, IsLaxInt } from '../../prefect-compat/validation';
import { coerceInt } from '../../prefect-compat/validation/coerce';

/** bulk_delete removes at most this many flows per call. */
export const BULK_OPERATION_LIMIT = 50;

/** The five filter groups a flow query accepts (compat G1). */
export class FlowQueryFilters {
  @NestedFilter(FlowFilter, { description: 'Filter criteria for flows' })
  flows?: FlowFilter | null;

  @NestedFilter(FlowRunFilter, { description: 'Filter criteria for flow runs of the flows' })
  flow_runs?: FlowRunFilter | null;

  @NestedFilter(TaskRunFilter, { description: 'Filter criteria for task runs of those flow runs' })
  task_runs?: TaskRunFilter | null;

  @NestedFilter(DeploymentFilter, { description: 'Filter criteria for deployments of the flows' })
  deployments?: DeploymentFilter | null;

  @NestedFilter(WorkPoolFilter, { description: 'Filter criteria for work pools of those deployments' })
  work_pools?: WorkPoolFilter | null;
}

/** The filters plus a sort (declared after them, so errors list fields in Prefect's order). */
export class SortedFlowQueryFilters extends FlowQueryFilters {
  @ApiPropertyOptional({ enum: FlowSort, enumName: 'FlowSort', default: FlowSort.NAME_ASC })
  @IsEnumValue(FLOW_SORTS)
  sort?: FlowSort;
}

/**
 * Prefect's LimitBody dependency: runs before the body's other fields are validated, so an
 * out-of-range limit answers 422-L (compat E2) even when other fields are invalid. A limit that is not an
 * integer is left to the field's own validator (422-V, compat E1). Absent means the configured default.
 */
export function resolveLimit(fields: Record<string, unknown>, { defaultLimit }: { defaultLimit: number }): void {
  if (fields.limit === undefined) {
    fields.limit = defaultLimit;
    return;
  }
  const { value } = coerceInt(fields.limit);
  if (value === undefined) return;
  if (value < 0) throw new LimitError('Invalid limit: must be greater than or equal to 0.');
  if (value > defaultLimit) throw new LimitError(`Invalid limit: must be less than or equal to ${defaultLimit}.`);
}

export const LIMIT_DOCS = {
  type: 'integer',
  description: 'Defaults to PREFECT_SERVER_API_DEFAULT_LIMIT if not provided.',
} as const;

@ApiSchema({ name: 'Body_read_flows_flows_filter_post' })
@FieldsBody()
export class ReadFlowsBody extends SortedFlowQueryFilters {
  static beforeValidation = resolveLimit;

  /** Always set after validation (resolveLimit fills in the default). */
  @ApiPropertyOptional(LIMIT_DOCS)
  @IsLaxInt()
  limit: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  @IsLaxInt({ ge: 0 })
  offset?: number;
}

@ApiSchema({ name: 'Body_count_flows_flows_count_post' })
@FieldsBody()
export class CountFlowsBody extends FlowQueryFilters {}

@ApiSchema({ name: 'Body_paginate_flows_flows_paginate_post' })
@FieldsBody()
export class PaginateFlowsBody extends SortedFlowQueryFilters {
  static beforeValidation = resolveLimit;

  /** Always set after validation (resolveLimit fills in the default). */
  @ApiPropertyOptional(LIMIT_DOCS)
  @IsLaxInt()
  limit: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  @IsLaxInt({ ge: 1 })
  page?: number;
}

@ApiSchema({ name: 'Body_bulk_delete_flows_flows_bulk_delete_post' })
@FieldsBody()
export class BulkDeleteFlowsBody {
  @NestedFilter(FlowFilter, { description: 'Filter criteria for flows to delete' })
  flows?: FlowFilter | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: BULK_OPERATION_LIMIT,
    default: BULK_OPERATION_LIMIT,
    description: 'Maximum number of flows to delete. Defaults to 50.',
  })
  @IsLaxInt({ ge: 1, le: BULK_OPERATION_LIMIT })
  limit?: number;
}

export class FlowPaginationResponse {
  @ApiProperty({ type: [Flow] })
  results: Flow[];

  @ApiProperty({ type: 'integer' })
  count: number;

  @ApiProperty({ type: 'integer' })
  limit: number;

  @ApiProperty({ type: 'integer' })
  pages: number;

  @ApiProperty({ type: 'integer' })
  page: number;
}

/** Response from bulk flow deletion. */
export class FlowBulkDeleteResponse {
  @ApiProperty({ type: [String], format: 'uuid' })
  deleted: string[];
}
