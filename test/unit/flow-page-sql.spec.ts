import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { FlowSort } from '../../src/flows/dto/flow-sort';
import { flowPageSql, readsOnlyFlow } from '../../src/flows/flows.repository';
import { FlowFilter } from '../../src/query-filters/schemas/flow-filter.dto';

describe('flow page statement', () => {
  const flows = (plain: object) => plainToInstance(FlowFilter, plain);

  it("reads only the flow's own columns: no related group and no flows.deployment", () => {
    expect(readsOnlyFlow({})).toBe(true);
    expect(readsOnlyFlow({ flows: flows({}) })).toBe(true);
    expect(readsOnlyFlow({ flows: flows({ name: { like_: 'etl' } }) })).toBe(true);
    expect(readsOnlyFlow({ flows: flows({ name: { any_: ['a'] }, operator: 'or_' }) })).toBe(true);
    expect(readsOnlyFlow({ flows: flows({ tags: { all_: ['a'] } }) })).toBe(true);
    expect(readsOnlyFlow({ flows: flows({ name: { like_: 'etl' }, id: { any_: [] } }) })).toBe(true);
    expect(readsOnlyFlow({ flows: flows({ deployment: { is_null_: true } }) })).toBe(false);
    expect(readsOnlyFlow({ flows: flows({ name: { like_: 'etl' } }), deployments: {} })).toBe(false);
    expect(readsOnlyFlow({ flow_runs: {} })).toBe(false);
    // Plain JSON (the bench floors) decides the same way.
    expect(readsOnlyFlow({ flows: { name: { like_: 'x' } }, work_pools: null })).toBe(true);
  });

  it('chooses between the walk and the sort in name order, and is flat for other sorts', () => {
    const filtered = flowPageSql({ where: 'flow.x', sort: FlowSort.NAME_ASC, onlyFlow: true });
    expect(filtered.sql).toContain('pg_stats');
    expect(filtered.slots).toEqual(['where', 'n', 'where', 'n', 'where', 'limit', 'offset']);
    expect(filtered.sql.split('?').length - 1).toBe(4);
    expect(flowPageSql({ where: 'TRUE', sort: FlowSort.NAME_ASC, onlyFlow: true }).sql).toContain(') page');
    const flat = flowPageSql({ where: 'TRUE', sort: FlowSort.CREATED_DESC, onlyFlow: true });
    expect(flat.sql).toMatch(/WHERE TRUE ORDER BY .* LIMIT \? OFFSET \?$/);
    expect(flat.slots).toEqual(['where', 'limit', 'offset']);
  });
});
