import {
  child,
  Condition,
  FilterScope,
  NestedFilter,
  OperatorFilter,
  SqlFilter,
  StrListField,
  UuidListField,
} from '../language';

/** Filter by `WorkQueue.id`. */
export class WorkQueueFilterId extends SqlFilter {
  @UuidListField({ description: 'A list of work queue ids to include' })
  any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [scope.column('id', 'uuid').any(this.any_)];
  }
}

/** Filter by `WorkQueue.name`. */
export class WorkQueueFilterName extends SqlFilter {
  @StrListField({ description: 'A list of work queue names to include', example: ['wq-1', 'wq-2'] })
  any_?: string[] | null;

  @StrListField({
    description:
      "A list of case-insensitive starts-with matches. For example,  passing 'marvin' will match 'marvin', and 'Marvin-robot', but not 'sad-marvin'.",
    example: ['marvin', 'Marvin-robot'],
  })
  startswith_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    const name = scope.column('name', 'text');
    return [name.any(this.any_), name.startsWithAny(this.startswith_)];
  }
}

/** Filter work queues. Only work queues matching all criteria will be returned */
export class WorkQueueFilter extends OperatorFilter {
  @NestedFilter(WorkQueueFilterId, { description: 'Filter criteria for `WorkQueue.id`' })
  id?: WorkQueueFilterId | null;

  @NestedFilter(WorkQueueFilterName, { description: 'Filter criteria for `WorkQueue.name`' })
  name?: WorkQueueFilterName | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [this.id, this.name].map((filter) => child(filter, scope));
  }
}
