import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { FieldsBody, IsEnumValue } from '../../../prefect-compat/validation';
import { LimitField, OffsetField, resolveLimit, RunQueryFilters } from '../../query-bodies';

/** Defines flow run sorting options. */
export enum FlowRunSort {
  ID_DESC = 'ID_DESC',
  START_TIME_ASC = 'START_TIME_ASC',
  START_TIME_DESC = 'START_TIME_DESC',
  EXPECTED_START_TIME_ASC = 'EXPECTED_START_TIME_ASC',
  EXPECTED_START_TIME_DESC = 'EXPECTED_START_TIME_DESC',
  NAME_ASC = 'NAME_ASC',
  NAME_DESC = 'NAME_DESC',
  NEXT_SCHEDULED_START_TIME_ASC = 'NEXT_SCHEDULED_START_TIME_ASC',
  END_TIME_DESC = 'END_TIME_DESC',
}

const START = 'COALESCE(fr.start_time, fr.expected_start_time)';

/**
 * Prefect's ORDER BY per sort (PostgreSQL puts NULLs last ascending, first descending), plus `id` as a
 * tie-breaker so offset pages never repeat or skip a run that shares the sort value.
 */
export const FLOW_RUN_SORT_ORDER: Record<FlowRunSort, string> = {
  [FlowRunSort.ID_DESC]: 'fr.id DESC',
  [FlowRunSort.START_TIME_ASC]: `${START} ASC, fr.id DESC`,
  [FlowRunSort.START_TIME_DESC]: `${START} DESC, fr.id DESC`,
  [FlowRunSort.EXPECTED_START_TIME_ASC]: 'fr.expected_start_time ASC, fr.id DESC',
  [FlowRunSort.EXPECTED_START_TIME_DESC]: 'fr.expected_start_time DESC, fr.id DESC',
  [FlowRunSort.NAME_ASC]: 'fr.name ASC, fr.id DESC',
  [FlowRunSort.NAME_DESC]: 'fr.name DESC, fr.id DESC',
  [FlowRunSort.NEXT_SCHEDULED_START_TIME_ASC]: 'fr.next_scheduled_start_time ASC, fr.id DESC',
  [FlowRunSort.END_TIME_DESC]: 'fr.end_time DESC, fr.id DESC',
};

@ApiSchema({ name: 'Body_read_flow_runs_flow_runs_filter_post' })
@FieldsBody()
export class ReadFlowRunsBody extends RunQueryFilters {
  static beforeValidation = resolveLimit;

  @ApiPropertyOptional({ enum: FlowRunSort, enumName: 'FlowRunSort', default: FlowRunSort.ID_DESC })
  @IsEnumValue(Object.values(FlowRunSort))
  sort?: FlowRunSort;

  @LimitField()
  limit: number;

  @OffsetField()
  offset?: number;
}

@ApiSchema({ name: 'Body_count_flow_runs_flow_runs_count_post' })
@FieldsBody()
export class CountFlowRunsBody extends RunQueryFilters {}
