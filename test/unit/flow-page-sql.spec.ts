import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { FlowSort } from '../../src/flows/dto/flow-sort';
import { flowPageSql, readsOnlyName } from '../../src/flows/flows.repository';
import { FlowFilter } from '../../src/query-filters/schemas/flow-filter.dto';

describe('flow page statement', () => {
  const flows = (plain: object) => plainToInstance(FlowFilter, plain);

  it('picks a page by name and joins back only when the filter reads nothing but the name', () => {
    expect(readsOnlyName({})).toBe(true);
    expect(readsOnlyName({ flows: flows({}) })).toBe(true);
    expect(readsOnlyName({ flows: flows({ name: { like_: 'etl' } }) })).toBe(true);
    expect(readsOnlyName({ flows: flows({ name: { any_: ['a'] }, operator: 'or_' }) })).toBe(true);
    expect(readsOnlyName({ flows: flows({ tags: { all_: ['a'] } }) })).toBe(false);
    expect(readsOnlyName({ flows: flows({ name: { like_: 'etl' }, id: { any_: [] } }) })).toBe(false);
    expect(readsOnlyName({ flows: flows({ name: { like_: 'etl' } }), deployments: {} })).toBe(false);
    expect(readsOnlyName({ flow_runs: {} })).toBe(false);
    // Plain JSON (the bench floors) decides the same way.
    expect(readsOnlyName({ flows: { name: { like_: 'x' } }, work_pools: null })).toBe(true);
  });

  it('is flat for other filters and for sorts not by name', () => {
    expect(flowPageSql('TRUE', FlowSort.NAME_ASC, true)).toContain(') page');
    expect(flowPageSql('TRUE', FlowSort.NAME_ASC, false)).not.toContain(') page');
    expect(flowPageSql('TRUE', FlowSort.CREATED_DESC, true)).not.toContain(') page');
    expect(flowPageSql('TRUE', FlowSort.NAME_ASC, false)).toMatch(/WHERE TRUE ORDER BY .* LIMIT \? OFFSET \?$/);
  });
});
