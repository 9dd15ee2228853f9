import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { FlowSort } from '../../src/flows/dto/flow-sort';
import { flowPageSql, flowReads, SAMPLE_FROM_FLOWS } from '../../src/flows/flows.repository';
import { FlowFilter } from '../../src/query-filters/schemas/flow-filter.dto';

describe('flow page statement', () => {
  const flows = (plain: object) => plainToInstance(FlowFilter, plain);

  it('tells what the filters read: the name alone, the flow row, or related tables', () => {
    expect(flowReads({})).toBe('name');
    expect(flowReads({ flows: flows({}) })).toBe('name');
    expect(flowReads({ flows: flows({ name: { like_: 'etl' } }) })).toBe('name');
    expect(flowReads({ flows: flows({ name: { any_: ['a'] }, operator: 'or_' }) })).toBe('name');
    expect(flowReads({ flows: flows({ tags: { all_: ['a'] } }) })).toBe('flow');
    expect(flowReads({ flows: flows({ name: { like_: 'etl' }, id: { any_: [] } }) })).toBe('flow');
    expect(flowReads({ flows: flows({ deployment: { is_null_: true } }) })).toBe('related');
    expect(flowReads({ flows: flows({ name: { like_: 'etl' } }), deployments: {} })).toBe('related');
    expect(flowReads({ flow_runs: {} })).toBe('related');
    // Plain JSON (the bench floors) decides the same way.
    expect(flowReads({ flows: { name: { like_: 'x' } }, work_pools: null })).toBe('name');
    expect(flowReads({ flows: { name: { like_: 'x' }, tags: null } })).toBe('name');
  });

  it('chooses between the walk and the sort in name order, and is flat for other sorts', () => {
    const filtered = flowPageSql({ where: 'flow.x', sort: FlowSort.NAME_ASC, reads: 'name' });
    expect(filtered.sql).toContain('pg_stats');
    expect(filtered.slots).toEqual(['where', 'n', 'where', 'n', 'where', 'limit', 'offset']);
    expect(filtered.sql.split('?').length - 1).toBe(4);
    expect(flowPageSql({ where: 'TRUE', sort: FlowSort.NAME_ASC, reads: 'name' }).sql).toContain(') page');
    const flat = flowPageSql({ where: 'TRUE', sort: FlowSort.CREATED_DESC, reads: 'name' });
    expect(flat.sql).toMatch(/WHERE TRUE ORDER BY .* LIMIT \? OFFSET \?$/);
    expect(flat.slots).toEqual(['where', 'limit', 'offset']);
  });

  it('samples only tables of SAMPLE_FROM_FLOWS[reads] flows or more, unless told otherwise', () => {
    const parts = { where: 'flow.x', sort: FlowSort.NAME_ASC };
    for (const reads of ['name', 'flow', 'related'] as const)
      expect(flowPageSql({ ...parts, reads }).sql).toContain(
        `(SELECT flows FROM size) >= ${SAMPLE_FROM_FLOWS[reads]}\n`,
      );
    expect(SAMPLE_FROM_FLOWS.related).toBeLessThan(SAMPLE_FROM_FLOWS.flow);
    expect(flowPageSql({ ...parts, reads: 'flow', sampleFrom: 0 }).sql).toContain('(SELECT flows FROM size) >= 0\n');
  });
});
