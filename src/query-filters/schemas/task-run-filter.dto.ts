import {
  BoolField,
  child,
  Condition,
  exists,
  FilterScope,
  LikeField,
  NestedFilter,
  OperatorFilter,
  SqlFilter,
  StateTypeListField,
  stateChild,
  StrListField,
  TimestampField,
  UuidListField,
} from '../language';
import type { StateType } from '../../database/state-type';

/** Filter by `TaskRun.id`. */
export class TaskRunFilterId extends SqlFilter {
  @UuidListField({ description: 'A list of task run ids to include' })
  any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [scope.column('id', 'uuid').any(this.any_)];
  }
}

/** Filter by `TaskRun.name`. */
export class TaskRunFilterName extends SqlFilter {
  @StrListField({ description: 'A list of task run names to include', example: ['my-task-run-1', 'my-task-run-2'] })
  any_?: string[] | null;

  @LikeField({
    description:
      "A case-insensitive partial match. For example,  passing 'marvin' will match 'marvin', 'sad-Marvin', and 'marvin-robot'.",
    example: 'marvin',
  })
  like_?: string | null;

  protected conditions(scope: FilterScope): Condition[] {
    const name = scope.column('name', 'text');
    return [name.any(this.any_), name.like(this.like_)];
  }
}

/** Filter by `TaskRun.tags`. */
export class TaskRunFilterTags extends OperatorFilter {
  @StrListField({
    description: 'A list of tags. Task runs will be returned only if their tags are a superset of the list',
    example: ['tag-1', 'tag-2'],
  })
  all_?: string[] | null;

  @BoolField({ description: 'If true, only include task runs without tags' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    const tags = scope.tags();
    return [tags.all(this.all_), tags.isNull(this.is_null_)];
  }
}

/** Filter by `TaskRun.state_type`. */
export class TaskRunFilterStateType extends SqlFilter {
  @StateTypeListField({ description: 'A list of task run state types to include' })
  any_?: StateType[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [scope.column('state_type', 'state_type').any(this.any_)];
  }
}

/** Filter by `TaskRun.state_name`. */
export class TaskRunFilterStateName extends SqlFilter {
  @StrListField({ description: 'A list of task run state names to include' })
  any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [scope.column('state_name', 'text').any(this.any_)];
  }
}

/** Filter by `TaskRun.type` and `TaskRun.name`. */
export class TaskRunFilterState extends OperatorFilter {
  @NestedFilter(TaskRunFilterStateType, { description: 'Filter criteria for `TaskRun.state_type`' })
  type?: TaskRunFilterStateType | null;

  @NestedFilter(TaskRunFilterStateName, { description: 'Filter criteria for `TaskRun.state_name`' })
  name?: TaskRunFilterStateName | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [stateChild(this.type, scope), stateChild(this.name, scope)];
  }
}

/** Filter by `TaskRun.start_time`. */
export class TaskRunFilterStartTime extends SqlFilter {
  @TimestampField({ description: 'Only include task runs starting at or before this time' })
  before_?: string | null;

  @TimestampField({ description: 'Only include task runs starting at or after this time' })
  after_?: string | null;

  @BoolField({ description: 'If true, only return task runs without a start time' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    // Unlike flow runs, task runs compare start_time itself (no fallback to the expected start).
    const startTime = scope.column('start_time', 'timestamptz');
    return [startTime.before(this.before_), startTime.after(this.after_), startTime.isNull(this.is_null_)];
  }
}

/** Filter by `TaskRun.end_time`. */
export class TaskRunFilterEndTime extends SqlFilter {
  @TimestampField({ description: 'Only include task runs ending at or before this time' })
  before_?: string | null;

  @TimestampField({ description: 'Only include task runs ending at or after this time' })
  after_?: string | null;

  @BoolField({ description: 'If true, only return task runs without an end time' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    const endTime = scope.column('end_time', 'timestamptz');
    return [endTime.before(this.before_), endTime.after(this.after_), endTime.isNull(this.is_null_)];
  }
}

/** Filter by `TaskRun.expected_start_time`. */
export class TaskRunFilterExpectedStartTime extends SqlFilter {
  @TimestampField({ description: 'Only include task runs expected to start at or before this time' })
  before_?: string | null;

  @TimestampField({ description: 'Only include task runs expected to start at or after this time' })
  after_?: string | null;

  protected conditions(scope: FilterScope): Condition[] {
    const expected = scope.column('expected_start_time', 'timestamptz');
    return [expected.before(this.before_), expected.after(this.after_)];
  }
}

/** Filter by `TaskRun.subflow_run`. */
export class TaskRunFilterSubFlowRuns extends SqlFilter {
  @BoolField({
    description: 'If true, only include task runs that are subflow run parents; if false, exclude parent task runs',
  })
  exists_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [
      exists(
        `SELECT 1 FROM flow_run subflow_run WHERE subflow_run.parent_task_run_id = ${scope.ref('id')}`,
        this.exists_,
      ),
    ];
  }
}

/** Filter by `TaskRun.flow_run_id`. */
export class TaskRunFilterFlowRunId extends OperatorFilter {
  @UuidListField({ description: 'A list of task run flow run ids to include' })
  any_?: string[] | null;

  @BoolField({ description: 'Filter for task runs with None as their flow run id', default: false })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    const flowRunId = scope.column('flow_run_id', 'uuid');
    // is_null_ defaults to false (absent key), but an explicit null switches that default off.
    const isNull = this.is_null_ === undefined ? false : this.is_null_;
    if (isNull === true) return [flowRunId.isNull(true)];
    if (isNull === false && (this.any_ === undefined || this.any_ === null)) return [flowRunId.isNull(false)];
    return [flowRunId.any(this.any_)];
  }
}

/** Filter task runs. Only task runs matching all criteria will be returned */
export class TaskRunFilter extends OperatorFilter {
  @NestedFilter(TaskRunFilterId, { description: 'Filter criteria for `TaskRun.id`' })
  id?: TaskRunFilterId | null;

  @NestedFilter(TaskRunFilterName, { description: 'Filter criteria for `TaskRun.name`' })
  name?: TaskRunFilterName | null;

  @NestedFilter(TaskRunFilterTags, { description: 'Filter criteria for `TaskRun.tags`' })
  tags?: TaskRunFilterTags | null;

  @NestedFilter(TaskRunFilterState, { description: 'Filter criteria for `TaskRun.state`' })
  state?: TaskRunFilterState | null;

  @NestedFilter(TaskRunFilterStartTime, { description: 'Filter criteria for `TaskRun.start_time`' })
  start_time?: TaskRunFilterStartTime | null;

  @NestedFilter(TaskRunFilterEndTime, { description: 'Filter criteria for `TaskRun.end_time`' })
  end_time?: TaskRunFilterEndTime | null;

  @NestedFilter(TaskRunFilterExpectedStartTime, { description: 'Filter criteria for `TaskRun.expected_start_time`' })
  expected_start_time?: TaskRunFilterExpectedStartTime | null;

  @NestedFilter(TaskRunFilterSubFlowRuns, { description: 'Filter criteria for `TaskRun.subflow_run`' })
  subflow_runs?: TaskRunFilterSubFlowRuns | null;

  @NestedFilter(TaskRunFilterFlowRunId, { description: 'Filter criteria for `TaskRun.flow_run_id`' })
  flow_run_id?: TaskRunFilterFlowRunId | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [
      this.id,
      this.name,
      this.tags,
      this.state,
      this.start_time,
      this.end_time,
      this.expected_start_time,
      this.subflow_runs,
      this.flow_run_id,
    ].map((filter) => child(filter, scope));
  }
}
