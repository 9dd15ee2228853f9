import { parseTextSearch, textSearchConditions } from '../../src/query-filters/language/text-search';
import { Column } from '../../src/query-filters/language/columns';

// Cases from Prefect's tests of server/utilities/text_search_parser.py.
describe("Prefect's text search syntax", () => {
  it.each([
    ['error', { include: ['error'], exclude: [], required: [] }],
    ['error warning', { include: ['error', 'warning'], exclude: [], required: [] }],
    ['error -debug !info', { include: ['error'], exclude: ['debug', 'info'], required: [] }],
    ['+required', { include: [], exclude: [], required: ['required'] }],
    ['"connection timeout"', { include: ['connection timeout'], exclude: [], required: [] }],
    ['-"not this"', { include: [], exclude: ['not this'], required: [] }],
    ['"say \\"hi\\""', { include: ['say "hi"'], exclude: [], required: [] }],
    ['"unclosed phrase', { include: ['unclosed phrase'], exclude: [], required: [] }],
    ['- error', { include: ['error'], exclude: [], required: [] }],
    ['a"b"', { include: ['a', 'b'], exclude: [], required: [] }],
    ['   ', { include: [], exclude: [], required: [] }],
  ])('%s', (query, expected) => {
    expect(parseTextSearch(query)).toEqual(expected);
  });

  it('turns the terms into bound LIKE conditions: any include, no exclude, every required', () => {
    const [include, exclude, required] = textSearchConditions(new Column('t', 'text'), 'a b -c +d');
    expect(include).toEqual({
      sql: "(t LIKE '%' || lower(?) || '%' OR t LIKE '%' || lower(?) || '%')",
      params: ['a', 'b'],
    });
    expect(exclude).toEqual({ sql: "NOT (t LIKE '%' || lower(?) || '%')", params: ['c'] });
    expect(required).toEqual({ sql: "t LIKE '%' || lower(?) || '%'", params: ['d'] });
    expect(textSearchConditions(new Column('t', 'text'), '  ')).toEqual([]);
  });
});
