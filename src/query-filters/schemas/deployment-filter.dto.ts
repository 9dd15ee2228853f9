import {
  BoolField,
  child,
  combine,
  Condition,
  existsWhere,
  FilterScope,
  IntField,
  LikeField,
  NestedFilter,
  OperatorFilter,
  SqlFilter,
  SqlFragment,
  StrListField,
  UuidListField,
} from '../language';

/** Filter by `Deployment.id`. */
export class DeploymentFilterId extends SqlFilter {
  @UuidListField({ description: 'A list of deployment ids to include' })
  any_?: string[] | null;

  @UuidListField({ description: 'A list of deployment ids to exclude' })
  not_any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    const id = scope.column('id', 'uuid');
    return [id.any(this.any_), id.notAny(this.not_any_)];
  }
}

/** Filter by `Deployment.name`. */
export class DeploymentFilterName extends SqlFilter {
  @StrListField({
    description: 'A list of deployment names to include',
    example: ['my-deployment-1', 'my-deployment-2'],
  })
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

/** Filter by `Deployment.name` or `Flow.name` with a single input string for ilike filtering. */
export class DeploymentOrFlowNameFilter extends SqlFilter {
  @LikeField({
    description:
      "A case-insensitive partial match on deployment or flow names. For example, passing 'example' might match deployments or flows with 'example' in their names.",
  })
  like_?: string | null;

  protected conditions(scope: FilterScope): Condition[] {
    const ownName = scope.column('name', 'text').like(this.like_);
    if (!ownName) return [];
    const flowName = existsWhere(
      `SELECT 1 FROM flow deployment_flow WHERE deployment_flow.id = ${scope.ref('flow_id')}`,
      new FilterScope('deployment_flow').foldedColumn('name').like(this.like_),
    ) as SqlFragment;
    return [combine('or_', [ownName, flowName])];
  }
}

/** Filter by `Deployment.paused`. */
export class DeploymentFilterPaused extends SqlFilter {
  @BoolField({ description: 'Only returns where deployment is/is not paused' })
  eq_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [scope.column('paused', 'boolean').eq(this.eq_)];
  }
}

/** Filter by `Deployment.tags`. */
export class DeploymentFilterTags extends OperatorFilter {
  @StrListField({
    description: 'A list of tags. Deployments will be returned only if their tags are a superset of the list',
    example: ['tag-1', 'tag-2'],
  })
  all_?: string[] | null;

  @StrListField({ description: 'A list of tags to include', example: ['tag-1', 'tag-2'] })
  any_?: string[] | null;

  @BoolField({ description: 'If true, only include deployments without tags' })
  is_null_?: boolean | null;

  protected conditions(scope: FilterScope): Condition[] {
    const tags = scope.tags();
    return [tags.all(this.all_), tags.any(this.any_), tags.isNull(this.is_null_)];
  }
}

/** Filter by `Deployment.work_queue_name`. */
export class DeploymentFilterWorkQueueName extends SqlFilter {
  @StrListField({ description: 'A list of work queue names to include', example: ['work_queue_1', 'work_queue_2'] })
  any_?: string[] | null;

  protected conditions(scope: FilterScope): Condition[] {
    return [scope.column('work_queue_name', 'text').any(this.any_)];
  }
}

/** DEPRECATED: Prefer `Deployment.concurrency_limit_id` over `Deployment.concurrency_limit`. */
export class DeploymentFilterConcurrencyLimit extends SqlFilter {
  @IntField({ description: 'Only include deployments with a concurrency limit greater than or equal to this value' })
  ge_?: number | null;

  @IntField({ description: 'Only include deployments with a concurrency limit less than or equal to this value' })
  le_?: number | null;

  @BoolField({ description: 'If true, only include deployments without a concurrency limit' })
  is_null_?: boolean | null;

  /** Accepted for backwards compatibility and ignored, as in Prefect. */
  protected conditions(): Condition[] {
    return [];
  }
}

/** Filter for deployments. Only deployments matching all criteria will be returned. */
export class DeploymentFilter extends OperatorFilter {
  @NestedFilter(DeploymentFilterId, { description: 'Filter criteria for `Deployment.id`' })
  id?: DeploymentFilterId | null;

  @NestedFilter(DeploymentFilterName, { description: 'Filter criteria for `Deployment.name`' })
  name?: DeploymentFilterName | null;

  @NestedFilter(DeploymentOrFlowNameFilter, { description: 'Filter criteria for `Deployment.name` or `Flow.name`' })
  flow_or_deployment_name?: DeploymentOrFlowNameFilter | null;

  @NestedFilter(DeploymentFilterPaused, { description: 'Filter criteria for `Deployment.paused`' })
  paused?: DeploymentFilterPaused | null;

  @NestedFilter(DeploymentFilterTags, { description: 'Filter criteria for `Deployment.tags`' })
  tags?: DeploymentFilterTags | null;

  @NestedFilter(DeploymentFilterWorkQueueName, { description: 'Filter criteria for `Deployment.work_queue_name`' })
  work_queue_name?: DeploymentFilterWorkQueueName | null;

  @NestedFilter(DeploymentFilterConcurrencyLimit, {
    description:
      'DEPRECATED: Prefer `Deployment.concurrency_limit_id` over `Deployment.concurrency_limit`. If provided, will be ignored for backwards-compatibility. Will be removed after December 2024.',
    deprecated: true,
  })
  concurrency_limit?: DeploymentFilterConcurrencyLimit | null;

  // concurrency_limit is left out: not even TRUE, so under or_ the other children decide (compat F4).
  protected conditions(scope: FilterScope): Condition[] {
    return [this.id, this.name, this.flow_or_deployment_name, this.paused, this.tags, this.work_queue_name].map(
      (filter) => child(filter, scope),
    );
  }
}
