import {
  BoolField,
  child,
  Condition,
  existsWhere,
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

/** Filter by `FlowRun.id`. */
export class FlowRunFilterId extends SqlFilter {
  @UuidListField({ description: 'A list of flow run ids to include' })
  any_?: string[] | null;

  @UuidListField({ description: 'A list of flow run ids to exclude' })
  not_any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    const id = scope.column('id', 'uuid');
    return [id.any(this.any_), id.notAny(this.not_any_)];
  }
}

/** Filter by `FlowRun.name`. */
export class FlowRunFilterName extends SqlFilter {
  @StrListField({ description: 'A list of flow run names to include', example: ['my-flow-run-1', 'my-flow-run-2'] })
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

/** Filter by `FlowRun.tags`. */
export class FlowRunFilterTags extends OperatorFilter {
  @StrListField({
    description: 'A list of tags. Flow runs will be returned only if their tags are a superset of the list',
    example: ['tag-1', 'tag-2'],
  })
  all_?: string[] | null;

  @StrListField({ description: 'A list of tags to include', example: ['tag-1', 'tag-2'] })
  any_?: string[] | null;

  @BoolField({ description: 'If true, only include flow runs without tags' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    const tags = scope.tags();
    return [tags.all(this.all_), tags.any(this.any_), tags.isNull(this.is_null_)];
  }
}

/** Filter by `FlowRun.deployment_id`. */
export class FlowRunFilterDeploymentId extends OperatorFilter {
  @UuidListField({ description: 'A list of flow run deployment ids to include' })
  any_?: string[] | null;

  @BoolField({ description: 'If true, only include flow runs without deployment ids' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    const deploymentId = scope.column('deployment_id', 'uuid');
    return [deploymentId.any(this.any_), deploymentId.isNull(this.is_null_)];
  }
}

/** Filter by `FlowRun.work_queue_name`. */
export class FlowRunFilterWorkQueueName extends OperatorFilter {
  @StrListField({ description: 'A list of work queue names to include', example: ['work_queue_1', 'work_queue_2'] })
  any_?: string[] | null;

  @BoolField({ description: 'If true, only include flow runs without work queue names' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    const queueName = scope.column('work_queue_name', 'text');
    return [queueName.any(this.any_), queueName.isNull(this.is_null_)];
  }
}

/** Filter by `FlowRun.state_type`. */
export class FlowRunFilterStateType extends SqlFilter {
  @StateTypeListField({ description: 'A list of flow run state types to include' })
  any_?: StateType[] | null;

  @StateTypeListField({ description: 'A list of flow run state types to exclude' })
  not_any_?: StateType[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    const stateType = scope.column('state_type', 'state_type');
    return [stateType.any(this.any_), stateType.notAny(this.not_any_)];
  }
}

/** Filter by `FlowRun.state_name`. */
export class FlowRunFilterStateName extends SqlFilter {
  @StrListField({ description: 'A list of flow run state names to include' })
  any_?: string[] | null;

  @StrListField({ description: 'A list of flow run state names to exclude' })
  not_any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    const stateName = scope.column('state_name', 'text');
    return [stateName.any(this.any_), stateName.notAny(this.not_any_)];
  }
}

/** Filter by `FlowRun.state_type` and `FlowRun.state_name`. */
export class FlowRunFilterState extends OperatorFilter {
  @NestedFilter(FlowRunFilterStateType, { description: 'Filter criteria for `FlowRun.state_type`' })
  type?: FlowRunFilterStateType | null;

  @NestedFilter(FlowRunFilterStateName, { description: 'Filter criteria for `FlowRun.state_name`' })
  name?: FlowRunFilterStateName | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [stateChild(this.type, scope), stateChild(this.name, scope)];
  }
}

/** Filter by `FlowRun.flow_version`. */
export class FlowRunFilterFlowVersion extends SqlFilter {
  @StrListField({ description: 'A list of flow run flow_versions to include' })
  any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [scope.column('flow_version', 'text').any(this.any_)];
  }
}

/** Filter by `FlowRun.start_time`. */
export class FlowRunFilterStartTime extends SqlFilter {
  @TimestampField({ description: 'Only include flow runs starting at or before this time' })
  before_?: string | null;

  @TimestampField({ description: 'Only include flow runs starting at or after this time' })
  after_?: string | null;

  @BoolField({ description: 'If true, only return flow runs without a start time' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    // A run that has not started yet is placed at its expected start; is_null_ looks at start_time alone.
    const startOrExpected = scope.expression(
      `COALESCE(${scope.ref('start_time')}, ${scope.ref('expected_start_time')})`,
      'timestamptz',
    );
    return [
      startOrExpected.before(this.before_),
      startOrExpected.after(this.after_),
      scope.column('start_time', 'timestamptz').isNull(this.is_null_),
    ];
  }
}

/** Filter by `FlowRun.end_time`. */
export class FlowRunFilterEndTime extends SqlFilter {
  @TimestampField({ description: 'Only include flow runs ending at or before this time' })
  before_?: string | null;

  @TimestampField({ description: 'Only include flow runs ending at or after this time' })
  after_?: string | null;

  @BoolField({ description: 'If true, only return flow runs without an end time' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    const endTime = scope.column('end_time', 'timestamptz');
    return [endTime.before(this.before_), endTime.after(this.after_), endTime.isNull(this.is_null_)];
  }
}

/** Filter by `FlowRun.expected_start_time`. */
export class FlowRunFilterExpectedStartTime extends SqlFilter {
  @TimestampField({ description: 'Only include flow runs scheduled to start at or before this time' })
  before_?: string | null;

  @TimestampField({ description: 'Only include flow runs scheduled to start at or after this time' })
  after_?: string | null;

  protected conditions(scope: FilterScope): Condition[] {
    const expected = scope.column('expected_start_time', 'timestamptz');
    return [expected.before(this.before_), expected.after(this.after_)];
  }
}

/** Filter by `FlowRun.next_scheduled_start_time`. */
export class FlowRunFilterNextScheduledStartTime extends SqlFilter {
  @TimestampField({ description: 'Only include flow runs with a next_scheduled_start_time or before this time' })
  before_?: string | null;

  @TimestampField({ description: 'Only include flow runs with a next_scheduled_start_time at or after this time' })
  after_?: string | null;

  protected conditions(scope: FilterScope): Condition[] {
    const next = scope.column('next_scheduled_start_time', 'timestamptz');
    return [next.before(this.before_), next.after(this.after_)];
  }
}

/** Filter for subflows of a given flow run */
export class FlowRunFilterParentFlowRunId extends OperatorFilter {
  @UuidListField({ description: 'A list of parent flow run ids to include' })
  any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    // A subflow run points at a task run of its parent flow run.
    const parentTask = new FilterScope('parent_task');
    return [
      existsWhere(
        `SELECT 1 FROM task_run parent_task WHERE parent_task.id = ${scope.ref('parent_task_run_id')}`,
        parentTask.column('flow_run_id', 'uuid').any(this.any_),
      ),
    ];
  }
}

/** Filter by `FlowRun.parent_task_run_id`. */
export class FlowRunFilterParentTaskRunId extends OperatorFilter {
  @UuidListField({ description: 'A list of flow run parent_task_run_ids to include' })
  any_?: string[] | null;

  @BoolField({ description: 'If true, only include flow runs without parent_task_run_id' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    const parentTaskRunId = scope.column('parent_task_run_id', 'uuid');
    return [parentTaskRunId.any(this.any_), parentTaskRunId.isNull(this.is_null_)];
  }
}

/** Filter by `FlowRun.idempotency_key`. */
export class FlowRunFilterIdempotencyKey extends SqlFilter {
  @StrListField({ description: 'A list of flow run idempotency keys to include' })
  any_?: string[] | null;

  @StrListField({ description: 'A list of flow run idempotency keys to exclude' })
  not_any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    const key = scope.column('idempotency_key', 'text');
    return [key.any(this.any_), key.notAny(this.not_any_)];
  }
}

/** Filter by `FlowRun.created_by`. */
export class FlowRunFilterCreatedBy extends OperatorFilter {
  @UuidListField({ description: 'A list of creator IDs to include' })
  id_?: string[] | null;

  @StrListField({
    description:
      "A list of creator types to include. For example, 'DEPLOYMENT' for scheduled runs or 'AUTOMATION' for runs triggered by automations.",
    example: ['DEPLOYMENT', 'AUTOMATION'],
  })
  type_?: string[] | null;

  @BoolField({ description: 'If true, only include flow runs without a creator' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    const createdBy = scope.ref('created_by');
    // Ids arrive normalised to lower-case hyphenated text, the form stored in the JSON.
    return [
      scope.expression(`(${createdBy}->>'id')`, 'text').any(this.id_),
      scope.expression(`(${createdBy}->>'type')`, 'text').any(this.type_),
      scope.column('created_by', 'text').isNull(this.is_null_),
    ];
  }
}

/** Filter flow runs. Only flow runs matching all criteria will be returned */
export class FlowRunFilter extends OperatorFilter {
  @NestedFilter(FlowRunFilterId, { description: 'Filter criteria for `FlowRun.id`' })
  id?: FlowRunFilterId | null;

  @NestedFilter(FlowRunFilterName, { description: 'Filter criteria for `FlowRun.name`' })
  name?: FlowRunFilterName | null;

  @NestedFilter(FlowRunFilterTags, { description: 'Filter criteria for `FlowRun.tags`' })
  tags?: FlowRunFilterTags | null;

  @NestedFilter(FlowRunFilterDeploymentId, { description: 'Filter criteria for `FlowRun.deployment_id`' })
  deployment_id?: FlowRunFilterDeploymentId | null;

  @NestedFilter(FlowRunFilterWorkQueueName, { description: 'Filter criteria for `FlowRun.work_queue_name' })
  work_queue_name?: FlowRunFilterWorkQueueName | null;

  @NestedFilter(FlowRunFilterState, { description: 'Filter criteria for `FlowRun.state`' })
  state?: FlowRunFilterState | null;

  @NestedFilter(FlowRunFilterFlowVersion, { description: 'Filter criteria for `FlowRun.flow_version`' })
  flow_version?: FlowRunFilterFlowVersion | null;

  @NestedFilter(FlowRunFilterStartTime, { description: 'Filter criteria for `FlowRun.start_time`' })
  start_time?: FlowRunFilterStartTime | null;

  @NestedFilter(FlowRunFilterEndTime, { description: 'Filter criteria for `FlowRun.end_time`' })
  end_time?: FlowRunFilterEndTime | null;

  @NestedFilter(FlowRunFilterExpectedStartTime, { description: 'Filter criteria for `FlowRun.expected_start_time`' })
  expected_start_time?: FlowRunFilterExpectedStartTime | null;

  @NestedFilter(FlowRunFilterNextScheduledStartTime, {
    description: 'Filter criteria for `FlowRun.next_scheduled_start_time`',
  })
  next_scheduled_start_time?: FlowRunFilterNextScheduledStartTime | null;

  @NestedFilter(FlowRunFilterParentFlowRunId, { description: 'Filter criteria for subflows of the given flow runs' })
  parent_flow_run_id?: FlowRunFilterParentFlowRunId | null;

  @NestedFilter(FlowRunFilterParentTaskRunId, { description: 'Filter criteria for `FlowRun.parent_task_run_id`' })
  parent_task_run_id?: FlowRunFilterParentTaskRunId | null;

  @NestedFilter(FlowRunFilterIdempotencyKey, { description: 'Filter criteria for `FlowRun.idempotency_key`' })
  idempotency_key?: FlowRunFilterIdempotencyKey | null;

  @NestedFilter(FlowRunFilterCreatedBy, { description: 'Filter criteria for `FlowRun.created_by`' })
  created_by?: FlowRunFilterCreatedBy | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [
      this.id,
      this.name,
      this.tags,
      this.deployment_id,
      this.work_queue_name,
      this.state,
      this.flow_version,
      this.start_time,
      this.end_time,
      this.expected_start_time,
      this.next_scheduled_start_time,
      this.parent_flow_run_id,
      this.parent_task_run_id,
      this.idempotency_key,
      this.created_by,
    ].map((filter) => child(filter, scope));
  }
}
