import {
  BoolField,
  child,
  Condition,
  FilterScope,
  LikeField,
  NestedFilter,
  noRelatedRow,
  OperatorFilter,
  SqlFilter,
  StrListField,
  UuidListField,
} from '../language';

/** Filter by `Flow.id`. */
export class FlowFilterId extends SqlFilter {
  @UuidListField({ description: 'A list of flow ids to include' })
  any_?: string[] | null;

  @UuidListField({ description: 'A list of flow ids to exclude' })
  not_any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    const id = scope.column('id', 'uuid');
    return [id.any(this.any_), id.notAny(this.not_any_)];
  }
}

/** Filter by flows by deployment */
export class FlowFilterDeployment extends OperatorFilter {
  @BoolField({ description: 'If true, only include flows without deployments' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    // NOT EXISTS is Prefect's `id NOT IN (SELECT flow_id FROM deployment)` (flow_id is never NULL).
    return [
      noRelatedRow(
        `SELECT 1 FROM deployment flow_deployment WHERE flow_deployment.flow_id = ${scope.ref('id')}`,
        this.is_null_,
      ),
    ];
  }
}

/** Filter by `Flow.name`. */
export class FlowFilterName extends SqlFilter {
  @StrListField({ description: 'A list of flow names to include', example: ['my-flow-1', 'my-flow-2'] })
  any_?: string[] | null;

  @LikeField({
    description:
      "A case-insensitive partial match. For example,  passing 'marvin' will match 'marvin', 'sad-Marvin', and 'marvin-robot'.",
    example: 'marvin',
  })
  like_?: string | null;

  protected conditions(scope: FilterScope): Condition[] {
    // like_ on the lower-cased name, which ix_flow__name_lower and trgm_ix_flow_name_lower index.
    const name = scope.foldedColumn('name');
    return [name.any(this.any_), name.like(this.like_)];
  }
}

/** Filter by `Flow.tags`. */
export class FlowFilterTags extends OperatorFilter {
  @StrListField({
    description: 'A list of tags. Flows will be returned only if their tags are a superset of the list',
    example: ['tag-1', 'tag-2'],
  })
  all_?: string[] | null;

  @BoolField({ description: 'If true, only include flows without tags' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    const tags = scope.tags();
    return [tags.all(this.all_), tags.isNull(this.is_null_)];
  }
}

/** Filter for flows. Only flows matching all criteria will be returned. */
export class FlowFilter extends OperatorFilter {
  @NestedFilter(FlowFilterId, { description: 'Filter criteria for `Flow.id`' })
  id?: FlowFilterId | null;

  @NestedFilter(FlowFilterDeployment, { description: 'Filter criteria for Flow deployments' })
  deployment?: FlowFilterDeployment | null;

  @NestedFilter(FlowFilterName, { description: 'Filter criteria for `Flow.name`' })
  name?: FlowFilterName | null;

  @NestedFilter(FlowFilterTags, { description: 'Filter criteria for `Flow.tags`' })
  tags?: FlowFilterTags | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [child(this.id, scope), child(this.deployment, scope), child(this.name, scope), child(this.tags, scope)];
  }
}
