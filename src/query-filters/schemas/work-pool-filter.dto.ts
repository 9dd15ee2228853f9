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

/** Filter by `WorkPool.id`. */
export class WorkPoolFilterId extends SqlFilter {
  @UuidListField({ description: 'A list of work pool ids to include' })
  any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [scope.column('id', 'uuid').any(this.any_)];
  }
}

/** Filter by `WorkPool.name`. */
export class WorkPoolFilterName extends SqlFilter {
  @StrListField({ description: 'A list of work pool names to include' })
  any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [scope.column('name', 'text').any(this.any_)];
  }
}

/** Filter by `WorkPool.type`. */
export class WorkPoolFilterType extends SqlFilter {
  @StrListField({ description: 'A list of work pool types to include' })
  any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [scope.column('type', 'text').any(this.any_)];
  }
}

/** Filter work pools. Only work pools matching all criteria will be returned */
export class WorkPoolFilter extends OperatorFilter {
  @NestedFilter(WorkPoolFilterId, { description: 'Filter criteria for `WorkPool.id`' })
  id?: WorkPoolFilterId | null;

  @NestedFilter(WorkPoolFilterName, { description: 'Filter criteria for `WorkPool.name`' })
  name?: WorkPoolFilterName | null;

  @NestedFilter(WorkPoolFilterType, { description: 'Filter criteria for `WorkPool.type`' })
  type?: WorkPoolFilterType | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [this.id, this.name, this.type].map((filter) => child(filter, scope));
  }
}
