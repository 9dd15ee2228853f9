/**
 * Overlapping bulk deletes (compat A8): each id is reported deleted exactly once, and the union of the reports
 * is exactly the set of rows removed. Needs POST /api/flows/bulk_delete (built on the filters branch): this file
 * fails until that route is merged.
 */
import { startTestApp, TestContext } from '../support/test-app';

const SEEDED = 300;

describe('concurrent bulk deletes', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.truncate());

  /** Overlapping selections: the default first 50 by name, smaller heads, name patterns, explicit id lists. */
  function bodies(ids: string[]): object[] {
    return [
      {},
      {},
      { limit: 20 },
      { flows: { name: { like_: '1' } } },
      { flows: { name: { like_: '2' } }, limit: 50 },
      { flows: { id: { any_: ids.slice(0, 40) } } },
      { flows: { id: { any_: ids.slice(20, 60) } }, limit: 30 },
      { flows: { tags: { all_: ['even'] } } },
    ];
  }

  it('report each id exactly once; the union of the reports equals the rows removed', async () => {
    const { rows: seeded } = await t.sql.query<{ id: string }>(
      `INSERT INTO flow (name, tags)
       SELECT format('bulk-%s', lpad(i::text, 4, '0')),
              CASE WHEN i % 2 = 0 THEN '["even"]'::jsonb ELSE '[]'::jsonb END
       FROM generate_series(1, $1) AS i RETURNING id`,
      [SEEDED],
    );
    const reported: string[] = [];
    for (let round = 0; round < 20; round++) {
      const { rows } = await t.sql.query<{ id: string }>('SELECT id FROM flow ORDER BY name');
      if (rows.length === 0) break;
      const responses = await Promise.all(
        bodies(rows.map((r) => r.id)).map((body) =>
          t.http
            .post('/api/flows/bulk_delete')
            .send(body)
            .then((r) => r),
        ),
      );
      for (const res of responses) {
        expect(res.status).toBe(200);
        expect(Array.isArray(res.body.deleted)).toBe(true);
        reported.push(...res.body.deleted);
      }
    }

    const duplicates = reported.filter((id, i) => reported.indexOf(id) !== i);
    expect(duplicates).toEqual([]);
    const { rows: remaining } = await t.sql.query<{ id: string }>('SELECT id FROM flow');
    const remainingIds = new Set(remaining.map((r) => r.id));
    const removed = seeded.map((r) => r.id).filter((id) => !remainingIds.has(id));
    expect(new Set(reported)).toEqual(new Set(removed));
    expect(remaining).toEqual([]);
  });
});
