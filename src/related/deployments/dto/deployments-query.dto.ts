import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { FieldsBody, IsEnumValue } from '../../../prefect-compat/validation';
import { LimitField, OffsetField, resolveLimit, RunQueryFilters } from '../../query-bodies';

/** Defines deployment sorting options. */
export enum DeploymentSort {
  CREATED_DESC = 'CREATED_DESC',
  UPDATED_DESC = 'UPDATED_DESC',
  NAME_ASC = 'NAME_ASC',
  NAME_DESC = 'NAME_DESC',
}

/** Prefect's ORDER BY per sort, plus `id` as a tie-breaker (names repeat across flows) for stable offset pages. */
export const DEPLOYMENT_SORT_ORDER: Record<DeploymentSort, string> = {
  [DeploymentSort.CREATED_DESC]: 'd.created DESC, d.id DESC',
  [DeploymentSort.UPDATED_DESC]: 'd.updated DESC, d.id DESC',
  [DeploymentSort.NAME_ASC]: 'd.name ASC, d.id DESC',
  [DeploymentSort.NAME_DESC]: 'd.name DESC, d.id DESC',
};

@ApiSchema({ name: 'Body_read_deployments_deployments_filter_post' })
@FieldsBody()
export class ReadDeploymentsBody extends RunQueryFilters {
  static beforeValidation = resolveLimit;

  @LimitField()
  limit: number;

  @OffsetField()
  offset?: number;

  @ApiPropertyOptional({ enum: DeploymentSort, enumName: 'DeploymentSort', default: DeploymentSort.NAME_ASC })
  @IsEnumValue(Object.values(DeploymentSort))
  sort?: DeploymentSort;
}

@ApiSchema({ name: 'Body_count_deployments_deployments_count_post' })
@FieldsBody()
export class CountDeploymentsBody extends RunQueryFilters {}
