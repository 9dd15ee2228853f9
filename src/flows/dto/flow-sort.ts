/** Defines flow sorting options. */
export enum FlowSort {
  CREATED_DESC = 'CREATED_DESC',
  UPDATED_DESC = 'UPDATED_DESC',
  NAME_ASC = 'NAME_ASC',
  NAME_DESC = 'NAME_DESC',
}

export const FLOW_SORTS = Object.values(FlowSort);

/**
 * ORDER BY per sort. Names are unique, so name order is total. Equal timestamps get `id`
 * as a tie-breaker (Prefect leaves their order undefined), so offset pages never repeat
 * or skip a row.
 */
export const FLOW_SORT_ORDER: Record<FlowSort, string> = {
  [FlowSort.NAME_ASC]: 'flow.name ASC',
  [FlowSort.NAME_DESC]: 'flow.name DESC',
  [FlowSort.CREATED_DESC]: 'flow.created DESC, flow.id DESC',
  [FlowSort.UPDATED_DESC]: 'flow.updated DESC, flow.id DESC',
};
