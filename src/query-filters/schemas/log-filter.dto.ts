import { ApiProperty } from '@nestjs/swagger';
import {
  BoolField,
  child,
  Condition,
  FilterScope,
  IntField,
  NestedFilter,
  OperatorFilter,
  SqlFilter,
  textSearchConditions,
  TimestampField,
  UuidListField,
} from '../language';
import { IsStr, NoNulChar, pydanticCheck, Required } from '../../prefect-compat/validation';

/** Filter by `Log.level`. */
export class LogFilterLevel extends SqlFilter {
  @IntField({ description: 'Include logs with a level greater than or equal to this level', example: 20 })
  ge_?: number | null;

  @IntField({ description: 'Include logs with a level less than or equal to this level', example: 50 })
  le_?: number | null;

  protected conditions(scope: FilterScope): Condition[] {
    // numeric: any integer a client sends compares, even one beyond the smallint column's range.
    const level = scope.column('level', 'numeric');
    return [level.atLeast(this.ge_), level.atMost(this.le_)];
  }
}

/** Filter by `Log.timestamp`. */
export class LogFilterTimestamp extends SqlFilter {
  @TimestampField({ description: 'Only include logs with a timestamp at or before this time' })
  before_?: string | null;

  @TimestampField({ description: 'Only include logs with a timestamp at or after this time' })
  after_?: string | null;

  protected conditions(scope: FilterScope): Condition[] {
    const timestamp = scope.column('timestamp', 'timestamptz');
    return [timestamp.before(this.before_), timestamp.after(this.after_)];
  }
}

/** Filter by `Log.flow_run_id`. */
export class LogFilterFlowRunId extends SqlFilter {
  @UuidListField({ description: 'A list of flow run IDs to include' })
  any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [scope.column('flow_run_id', 'uuid').any(this.any_)];
  }
}

/** Filter by `Log.task_run_id`. */
export class LogFilterTaskRunId extends SqlFilter {
  @UuidListField({ description: 'A list of task run IDs to include' })
  any_?: string[] | null;

  @BoolField({ description: 'If true, only include logs without a task run id' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    const taskRunId = scope.column('task_run_id', 'uuid');
    return [taskRunId.any(this.any_), taskRunId.isNull(this.is_null_)];
  }
}

const TEXT_QUERY_MAX = 200;

/** Filter by text search across log content (message and logger name). */
export class LogFilterTextSearch extends SqlFilter {
  @ApiProperty({
    type: String,
    maxLength: TEXT_QUERY_MAX,
    example: 'error -debug',
    description: 'Text search query string: words, "quoted phrases", +required and -excluded terms',
  })
  @Required()
  @IsStr()
  @NoNulChar()
  @pydanticCheck('string_too_long', (v) =>
    typeof v === 'string' && [...v].length > TEXT_QUERY_MAX
      ? [
          {
            msg: `String should have at most ${TEXT_QUERY_MAX} characters`,
            ctx: { max_length: TEXT_QUERY_MAX },
          },
        ]
      : null,
  )
  query: string;

  protected conditions(scope: FilterScope): Condition[] {
    // The expression the log table's trigram index is built on.
    const text = scope.expression(`lower(${scope.ref('message')} || ' ' || ${scope.ref('name')})`, 'text');
    return textSearchConditions(text, this.query);
  }
}

/** Filter logs. Only logs matching all criteria will be returned. */
export class LogFilter extends OperatorFilter {
  @NestedFilter(LogFilterLevel, { description: 'Filter criteria for `Log.level`' })
  level?: LogFilterLevel | null;

  @NestedFilter(LogFilterTimestamp, { description: 'Filter criteria for `Log.timestamp`' })
  timestamp?: LogFilterTimestamp | null;

  @NestedFilter(LogFilterFlowRunId, { description: 'Filter criteria for `Log.flow_run_id`' })
  flow_run_id?: LogFilterFlowRunId | null;

  @NestedFilter(LogFilterTaskRunId, { description: 'Filter criteria for `Log.task_run_id`' })
  task_run_id?: LogFilterTaskRunId | null;

  @NestedFilter(LogFilterTextSearch, { description: 'Filter criteria for text search across log content' })
  text?: LogFilterTextSearch | null;

  protected conditions(scope: FilterScope): Condition[] {
    // Prefect adds the text search's own conditions to this filter's list, not as one child.
    return [
      child(this.level, scope),
      child(this.timestamp, scope),
      child(this.flow_run_id, scope),
      child(this.task_run_id, scope),
      ...(this.text ? this.text.filterList(scope) : []),
    ];
  }
}
