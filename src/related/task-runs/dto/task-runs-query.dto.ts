import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { FieldsBody, IsEnumValue } from '../../../prefect-compat/validation';
import { LimitField, OffsetField, resolveLimit, TaskRunQueryFilters } from '../../query-bodies';

/** Defines task run sorting options. */
export enum TaskRunSort {
  ID_DESC = 'ID_DESC',
  EXPECTED_START_TIME_ASC = 'EXPECTED_START_TIME_ASC',
  EXPECTED_START_TIME_DESC = 'EXPECTED_START_TIME_DESC',
  NAME_ASC = 'NAME_ASC',
  NAME_DESC = 'NAME_DESC',
  NEXT_SCHEDULED_START_TIME_ASC = 'NEXT_SCHEDULED_START_TIME_ASC',
  END_TIME_DESC = 'END_TIME_DESC',
}

/** Prefect's ORDER BY per sort, plus `id` as a tie-breaker for stable offset pages. */
export const TASK_RUN_SORT_ORDER: Record<TaskRunSort, string> = {
  [TaskRunSort.ID_DESC]: 'tr.id DESC',
  [TaskRunSort.EXPECTED_START_TIME_ASC]: 'tr.expected_start_time ASC, tr.id DESC',
  [TaskRunSort.EXPECTED_START_TIME_DESC]: 'tr.expected_start_time DESC, tr.id DESC',
  [TaskRunSort.NAME_ASC]: 'tr.name ASC, tr.id DESC',
  [TaskRunSort.NAME_DESC]: 'tr.name DESC, tr.id DESC',
  [TaskRunSort.NEXT_SCHEDULED_START_TIME_ASC]: 'tr.next_scheduled_start_time ASC, tr.id DESC',
  [TaskRunSort.END_TIME_DESC]: 'tr.end_time DESC, tr.id DESC',
};

@ApiSchema({ name: 'Body_read_task_runs_task_runs_filter_post' })
@FieldsBody()
export class ReadTaskRunsBody extends TaskRunQueryFilters {
  static beforeValidation = resolveLimit;

  @ApiPropertyOptional({ enum: TaskRunSort, enumName: 'TaskRunSort', default: TaskRunSort.ID_DESC })
  @IsEnumValue(Object.values(TaskRunSort))
  sort?: TaskRunSort;

  @LimitField()
  limit: number;

  @OffsetField()
  offset?: number;
}

@ApiSchema({ name: 'Body_count_task_runs_task_runs_count_post' })
@FieldsBody()
export class CountTaskRunsBody extends TaskRunQueryFilters {}
