import { randomBytes } from 'node:crypto';
import { startTestApp, TestContext } from '../support/test-app';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$/;

describe('flows: create, read, update, delete', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.truncate());

  const create = (body: unknown) => t.http.post('/api/flows/').send(body as object);

  describe('POST /api/flows/', () => {
    it('creates a flow: 201 with the Flow body in Prefect key order', async () => {
      const res = await create({
        name: 'etl',
        tags: ['b', 'a', 'b'],
        labels: { team: 'data', n: 2, ok: true, f: 1.5 },
      });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['id', 'created', 'updated', 'name', 'tags', 'labels']);
      expect(res.body.id).toMatch(UUID_RE);
      expect(res.body.created).toMatch(TS_RE);
      expect(res.body.updated).toBe(res.body.created);
      expect(res.body).toMatchObject({
        name: 'etl',
        tags: ['b', 'a', 'b'],
        labels: { team: 'data', n: 2, ok: true, f: 1.5 },
      });
      const { rows } = await t.sql.query('SELECT name, tags, labels FROM flow');
      expect(rows).toEqual([{ name: 'etl', tags: ['b', 'a', 'b'], labels: { team: 'data', n: 2, ok: true, f: 1.5 } }]);
    });

    it('defaults tags to [] and labels to {}; keeps an explicit null labels', async () => {
      expect((await create({ name: 'a' })).body).toMatchObject({ tags: [], labels: {} });
      expect((await create({ name: 'b', labels: null })).body).toMatchObject({ tags: [], labels: null });
      const { rows } = await t.sql.query("SELECT labels IS NULL AS n FROM flow WHERE name = 'b'");
      expect(rows[0].n).toBe(true);
    });

    it('returns the stored row unchanged with 200 when the name exists', async () => {
      const first = await create({ name: 'same', tags: ['x'], labels: { a: 1 } });
      const second = await create({ name: 'same', tags: ['y'], labels: { b: 2 } });
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
    });

    it('accepts names Prefect accepts: spaces, colons, backslashes, emoji, newlines, unicode', async () => {
      for (const name of ['my flow', 'a:b', 'back\\slash', 'pipe|x', '🚀 flow', 'line\nbreak', '   ', 'Ünïcødé 流程']) {
        const res = await create({ name });
        expect(res.status).toBe(201);
        expect(res.body.name).toBe(name);
        const byName = await t.http.get(`/api/flows/name/${encodeURIComponent(name)}`);
        expect(byName.status).toBe(200);
        expect(byName.body.id).toBe(res.body.id);
      }
    });

    it('is case-sensitive on names', async () => {
      expect((await create({ name: 'Flow' })).status).toBe(201);
      expect((await create({ name: 'flow' })).status).toBe(201);
    });

    it('gives exactly one 201 to 20 concurrent creates of one name', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => create({ name: 'race' })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(19);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      const { rows } = await t.sql.query("SELECT count(*)::int AS n FROM flow WHERE name = 'race'");
      expect(rows[0].n).toBe(1);
    });

    it('stores a long repetitive name and returns it exactly', async () => {
      const name = 'x'.repeat(10_000);
      const res = await create({ name });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe(name);
    });

    it('answers 422 (not a database error) for a name too large for the unique index', async () => {
      // Random text does not compress, so its index entry exceeds PostgreSQL's btree limit.
      const name = randomBytes(6000).toString('base64').replace(/\//g, '_');
      const res = await create({ name });
      expect(res.status).toBe(422);
      expect(res.body.exception_detail[0]).toMatchObject({ loc: ['body', 'name'] });
      expect((await t.sql.query('SELECT count(*)::int AS n FROM flow')).rows[0].n).toBe(0);
    });
  });

  describe('validation (422 with Prefect body)', () => {
    const cases: [string, unknown, { type: string; loc: (string | number)[] }[]][] = [
      ['missing name', {}, [{ type: 'missing', loc: ['body', 'name'] }]],
      ['name not a string', { name: 5 }, [{ type: 'string_type', loc: ['body', 'name'] }]],
      ['name null', { name: null }, [{ type: 'string_type', loc: ['body', 'name'] }]],
      ['empty name', { name: '' }, [{ type: 'string_pattern_mismatch', loc: ['body', 'name'] }]],
      ...['/', '%', '&', '>', '<'].map((c): [string, unknown, { type: string; loc: (string | number)[] }[]] => [
        `name with ${c}`,
        { name: `a${c}b` },
        [{ type: 'string_pattern_mismatch', loc: ['body', 'name'] }],
      ]),
      ['NUL in name', { name: 'a\u0000b' }, [{ type: 'value_error', loc: ['body', 'name'] }]],
      ['tags null', { name: 'x', tags: null }, [{ type: 'list_type', loc: ['body', 'tags'] }]],
      ['tags not a list', { name: 'x', tags: 'a' }, [{ type: 'list_type', loc: ['body', 'tags'] }]],
      ['tag not a string', { name: 'x', tags: ['ok', 3] }, [{ type: 'string_type', loc: ['body', 'tags', 1] }]],
      ['NUL in a tag', { name: 'x', tags: ['a\u0000'] }, [{ type: 'value_error', loc: ['body', 'tags', 0] }]],
      ['unknown key', { name: 'x', bogus: 1 }, [{ type: 'extra_forbidden', loc: ['body', 'bogus'] }]],
      [
        'id is not accepted',
        { name: 'x', id: '6f8ba5c4-8b07-4c39-9a4e-0d58e55bb0e5' },
        [{ type: 'extra_forbidden', loc: ['body', 'id'] }],
      ],
      [
        'created is not accepted',
        { name: 'x', created: '2024-01-01T00:00:00Z' },
        [{ type: 'extra_forbidden', loc: ['body', 'created'] }],
      ],
      [
        'label value that is an object',
        { name: 'x', labels: { k: { nested: 1 } } },
        [
          { type: 'bool_type', loc: ['body', 'labels', 'k', 'bool'] },
          { type: 'int_type', loc: ['body', 'labels', 'k', 'int'] },
          { type: 'float_type', loc: ['body', 'labels', 'k', 'float'] },
          { type: 'string_type', loc: ['body', 'labels', 'k', 'str'] },
        ],
      ],
      [
        'label value null',
        { name: 'x', labels: { k: null } },
        expect.arrayContaining([{ type: 'string_type', loc: ['body', 'labels', 'k', 'str'] }]) as never,
      ],
      ['labels not an object', { name: 'x', labels: ['a'] }, [{ type: 'dict_type', loc: ['body', 'labels'] }]],
      ['body is an array', [], [{ type: 'model_attributes_type', loc: ['body'] }]],
      ['body is a string', 'flow', [{ type: 'model_attributes_type', loc: ['body'] }]],
    ];

    it.each(cases)('%s', async (_label, body, expected) => {
      const res = await t.http.post('/api/flows/').set('Content-Type', 'application/json').send(JSON.stringify(body));
      expect(res.status).toBe(422);
      expect(Object.keys(res.body)).toEqual(['exception_message', 'exception_detail', 'request_body']);
      expect(res.body.exception_message).toBe('Invalid request received.');
      const got = res.body.exception_detail.map((e: { type: string; loc: unknown[] }) => ({
        type: e.type,
        loc: e.loc,
      }));
      expect(got).toEqual(expected);
      for (const e of res.body.exception_detail) expect(typeof e.msg).toBe('string');
      expect(res.body.request_body).toEqual(body);
      expect((await t.sql.query('SELECT count(*)::int AS n FROM flow')).rows[0].n).toBe(0);
    });

    it('a missing field reports the object that lacks it as input', async () => {
      const res = await create({});
      expect(res.body.exception_detail).toEqual([
        { type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: {} },
      ]);
    });

    it('a missing body is `missing` at ["body"]', async () => {
      const res = await t.http.post('/api/flows/');
      expect(res.status).toBe(422);
      expect(res.body.exception_detail).toEqual([
        { type: 'missing', loc: ['body'], msg: 'Field required', input: null },
      ]);
    });

    it('malformed JSON is json_invalid with the raw text as request_body', async () => {
      const res = await t.http.post('/api/flows/').set('Content-Type', 'application/json').send('{"name": ');
      expect(res.status).toBe(422);
      expect(res.body.exception_detail[0]).toMatchObject({ type: 'json_invalid', msg: 'JSON decode error' });
      expect(res.body.exception_detail[0].loc[0]).toBe('body');
      expect(typeof res.body.exception_detail[0].loc[1]).toBe('number');
      expect(res.body.request_body).toBe('{"name": ');
    });

    it('parses a body sent without Content-Type as JSON', async () => {
      const res = await t.http.post('/api/flows/').unset('Content-Type').send(Buffer.from('{"name":"no-ct"}'));
      expect(res.status).toBe(201);
      expect(res.body.name).toBe('no-ct');
    });

    it('does not parse a non-JSON Content-Type: 422 model_attributes_type', async () => {
      const res = await t.http.post('/api/flows/').set('Content-Type', 'text/plain').send('{"name":"x"}');
      expect(res.status).toBe(422);
      expect(res.body.exception_detail[0]).toMatchObject({ type: 'model_attributes_type', loc: ['body'] });
    });

    it('answers 413 with JSON for a body over the limit', async () => {
      const res = await create({ name: 'big', tags: ['x'.repeat(1024 * 1024)] });
      expect(res.status).toBe(413);
      expect(res.body.detail).toMatch(/too large/);
    });
  });

  describe('GET /api/flows/{id} and /api/flows/name/{name}', () => {
    it('reads by id, accepting upper-case and unhyphenated ids', async () => {
      const { body: flow } = await create({ name: 'reader' });
      for (const id of [flow.id, flow.id.toUpperCase(), flow.id.replace(/-/g, '')]) {
        const res = await t.http.get(`/api/flows/${id}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(flow);
      }
    });

    it('404 Flow not found for an unknown id or name', async () => {
      const byId = await t.http.get('/api/flows/6f8ba5c4-8b07-4c39-9a4e-0d58e55bb0e5');
      expect(byId.status).toBe(404);
      expect(byId.body).toEqual({ detail: 'Flow not found' });
      const byName = await t.http.get('/api/flows/name/nope');
      expect(byName.status).toBe(404);
      expect(byName.body).toEqual({ detail: 'Flow not found' });
    });

    it('404 Not Found for a path id that is not a UUID', async () => {
      for (const method of ['get', 'patch', 'delete'] as const) {
        const res = await t.http[method]('/api/flows/not-a-uuid').send({});
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ detail: 'Not Found' });
      }
    });

    it('matches names exactly and case-sensitively; a malformed escape is literal text', async () => {
      await create({ name: 'Exact' });
      expect((await t.http.get('/api/flows/name/exact')).status).toBe(404);
      expect((await t.http.get('/api/flows/name/Exact')).status).toBe(200);
      for (const odd of ['%zz', '%FF', '%ED%A0%80', 'a%']) {
        const res = await t.http.get(`/api/flows/name/${odd}`);
        expect([odd, res.status, res.body]).toEqual([odd, 404, { detail: 'Flow not found' }]);
      }
    });

    it('405 for a known path with the wrong method; 404 for an unknown path', async () => {
      const put = await t.http.put('/api/flows/name/x');
      expect(put.status).toBe(405);
      expect(put.body).toEqual({ detail: 'Method Not Allowed' });
      const unknown = await t.http.get('/api/nothing-here');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ detail: 'Not Found' });
    });
  });

  describe('PATCH /api/flows/{id}', () => {
    it('replaces tags, bumps updated, keeps created/name/labels; 204 with no body', async () => {
      const { body: flow } = await create({ name: 'p', tags: ['old'], labels: { k: 'v' } });
      const res = await t.http.patch(`/api/flows/${flow.id}`).send({ tags: ['new', 'new'] });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const after = (await t.http.get(`/api/flows/${flow.id}`)).body;
      expect(after).toMatchObject({
        id: flow.id,
        created: flow.created,
        name: 'p',
        tags: ['new', 'new'],
        labels: { k: 'v' },
      });
      expect(after.updated > flow.updated).toBe(true);
    });

    it('an empty body {} changes nothing but updated', async () => {
      const { body: flow } = await create({ name: 'p2', tags: ['keep'] });
      expect((await t.http.patch(`/api/flows/${flow.id}`).send({})).status).toBe(204);
      const after = (await t.http.get(`/api/flows/${flow.id}`)).body;
      expect(after.tags).toEqual(['keep']);
      expect(after.updated > flow.updated).toBe(true);
    });

    it('rejects name, labels, unknown keys and null tags with 422 before checking existence', async () => {
      const missing = '6f8ba5c4-8b07-4c39-9a4e-0d58e55bb0e5';
      for (const [body, type, loc] of [
        [{ name: 'x' }, 'extra_forbidden', ['body', 'name']],
        [{ labels: {} }, 'extra_forbidden', ['body', 'labels']],
        [{ tags: null }, 'list_type', ['body', 'tags']],
        [{ tags: [1] }, 'string_type', ['body', 'tags', 0]],
      ] as const) {
        const res = await t.http.patch(`/api/flows/${missing}`).send(body);
        expect(res.status).toBe(422);
        expect(res.body.exception_detail[0]).toMatchObject({ type, loc });
      }
    });

    it('a missing body is 422; an unknown id is 404 Flow not found', async () => {
      const missing = '6f8ba5c4-8b07-4c39-9a4e-0d58e55bb0e5';
      expect((await t.http.patch(`/api/flows/${missing}`)).status).toBe(422);
      const res = await t.http.patch(`/api/flows/${missing}`).send({ tags: [] });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'Flow not found' });
    });
  });

  describe('DELETE /api/flows/{id}', () => {
    it('deletes (204), then 404; deployments and runs go by cascade', async () => {
      const { body: flow } = await create({ name: 'gone' });
      const {
        rows: [pool],
      } = await t.sql.query("INSERT INTO work_pool (name, type) VALUES ('p', 'process') RETURNING id");
      const {
        rows: [queue],
      } = await t.sql.query(
        "INSERT INTO work_queue (name, priority, work_pool_id) VALUES ('default', 1, $1) RETURNING id",
        [pool.id],
      );
      await t.sql.query("INSERT INTO deployment (name, flow_id, work_queue_id) VALUES ('d', $1, $2)", [
        flow.id,
        queue.id,
      ]);
      const {
        rows: [run],
      } = await t.sql.query("INSERT INTO flow_run (name, flow_id) VALUES ('r', $1) RETURNING id", [flow.id]);
      await t.sql.query("INSERT INTO task_run (name, flow_run_id, task_key, dynamic_key) VALUES ('t', $1, 'k', '0')", [
        run.id,
      ]);

      const res = await t.http.delete(`/api/flows/${flow.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      for (const table of ['flow', 'deployment', 'flow_run', 'task_run']) {
        expect((await t.sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(0);
      }
      expect((await t.sql.query('SELECT count(*)::int AS n FROM work_queue')).rows[0].n).toBe(1);
      const again = await t.http.delete(`/api/flows/${flow.id}`);
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ detail: 'Flow not found' });
    });
  });
});

describe('hostile bodies', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses JSON nested deeper than the limit with 422, not a crash', async () => {
    const deep = '{"name":"x","labels":' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + '}';
    const res = await t.http.post('/api/flows/').set('Content-Type', 'application/json').send(deep);
    expect(res.status).toBe(422);
    expect(res.body.exception_detail[0]).toMatchObject({ type: 'value_error', loc: ['body'] });
    const arrays = '['.repeat(100_000) + ']'.repeat(100_000);
    const res2 = await t.http.post('/api/flows/').set('Content-Type', 'application/json').send(arrays);
    expect(res2.status).toBe(422);
  });

  it('never lets __proto__ or constructor keys pollute prototypes or crash the server', async () => {
    const res = await t.http
      .post('/api/flows/')
      .set('Content-Type', 'application/json')
      .send('{"name":"p","__proto__":{"polluted":true},"constructor":{"x":1}}');
    expect(res.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('routing the way Prefect (Starlette) routes', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.truncate());
  const ID = '6f8ba5c4-8b07-4c39-9a4e-0d58e55bb0e5';

  it('redirects the other trailing-slash spelling with 307, keeping the query', async () => {
    const create = await t.http.post('/api/flows').send({ name: 'x' });
    expect(create.status).toBe(307);
    expect(create.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/flows\/$/);
    for (const [method, path, target] of [
      ['post', '/api/flows/filter/', '/api/flows/filter'],
      ['get', `/api/flows/${ID}/?x=1`, `/api/flows/${ID}?x=1`],
      ['post', '/api/work_pools', '/api/work_pools/'],
    ] as const) {
      const res = await t.http[method](path).send({});
      expect(res.status).toBe(307);
      expect(new URL(res.headers.location).pathname + new URL(res.headers.location).search).toBe(target);
    }
    expect((await t.http.post('/api/flows/').send({ name: 'x' })).status).toBe(201);
  });

  it('answers 405 when only another method serves the path, 404 when no route matches', async () => {
    for (const [method, path] of [
      ['get', '/api/flows/filter'],
      ['get', '/api/flows/count'],
      ['delete', '/api/flows/paginate'],
      ['patch', '/api/flows/bulk_delete'],
      ['get', '/api/flows/'],
    ] as const) {
      const res = await t.http[method](path).send({ tags: ['a'] });
      expect([method, path, res.status, res.body]).toEqual([method, path, 405, { detail: 'Method Not Allowed' }]);
    }
    for (const [method, path] of [
      ['post', '/api/flows/not-a-uuid'],
      ['patch', '/api/flows/not-a-uuid'],
      ['get', '/api/flows/name/a%2Fb'],
    ] as const) {
      const res = await t.http[method](path).send({ name: 'bad body too' });
      expect([method, path, res.status, res.body]).toEqual([method, path, 404, { detail: 'Not Found' }]);
    }
  });

  it('routes the percent-decoded path, as uvicorn and Starlette do', async () => {
    const created = (await t.http.post('/api/flows/').send({ name: 'dec', tags: ['x'] })).body;
    expect((await t.http.post('/api/flows/%66ilter').send({})).body.map((f: { name: string }) => f.name)).toEqual([
      'dec',
    ]);
    expect((await t.http.get('/api/flows/name%2Fdec')).body).toEqual(created);
    expect((await t.http.get(`/api/flows/${created.id.toUpperCase()}`)).body).toEqual(created);
    const slash = await t.http.get('/api/flows/name/dec%2F').redirects(0);
    expect(slash.status).toBe(307);
    expect(slash.headers.location).toMatch(/\/api\/flows\/name\/dec$/);
    expect((await t.http.get('/api/flows/name/d%65c')).body).toEqual(created);
    const slashes = await t.http.get('/api/flows/name/dec//?x=1').redirects(0);
    expect([
      slashes.status,
      new URL(slashes.headers.location).pathname + new URL(slashes.headers.location).search,
    ]).toEqual([307, '/api/flows/name/dec?x=1']);
  });

  it('matches paths case-sensitively, as Starlette does', async () => {
    const id = (await t.http.post('/api/flows/').send({ name: 'cased' })).body.id;
    for (const [method, path] of [
      ['get', `/api/Flows/${id}`],
      ['get', '/api/flows/Name/cased'],
      ['post', '/api/flows/FILTER'],
      ['post', '/api/flows/bulk_DELETE'],
      ['post', '/api/Flows/'],
    ] as const) {
      const res = await t.http[method](path).send({});
      expect([method, path, res.status, res.body]).toEqual([method, path, 404, { detail: 'Not Found' }]);
    }
    expect((await t.http.post('/api/flows/count').send({})).body).toBe(1);
  });

  it('treats a JSON null body like no body for FlowCreate and FlowUpdate', async () => {
    for (const req of [t.http.post('/api/flows/'), t.http.patch(`/api/flows/${ID}`)]) {
      const res = await req.set('Content-Type', 'application/json').send('null');
      expect(res.status).toBe(422);
      expect(res.body.exception_detail).toEqual([
        { type: 'missing', loc: ['body'], msg: 'Field required', input: null },
      ]);
    }
  });

  it('refuses a body that is not UTF-8 with 400 and stores nothing', async () => {
    const res = await t.http
      .post('/api/flows/')
      .set('Content-Type', 'application/json')
      .serialize((b: unknown) => b as string)
      .send(Buffer.from('{"name":"\xff"}', 'latin1') as unknown as object);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: 'There was an error parsing the body' });
  });

  it('reads JSON whatever charset the Content-Type names, and ignores DELETE bodies', async () => {
    const res = await t.http
      .post('/api/flows/count')
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{}');
    expect(res.status).toBe(200);
    const del = await t.http.delete(`/api/flows/${ID}`).set('Content-Type', 'application/json').send('{bad');
    expect(del.status).toBe(404);
    expect(del.body).toEqual({ detail: 'Flow not found' });
  });

  it('never runs bulk_delete under a non-JSON Content-Type, even with an empty body', async () => {
    await t.http.post('/api/flows/').send({ name: 'keep-me' });
    const res = await t.http.post('/api/flows/bulk_delete').set('Content-Type', 'text/plain');
    expect(res.status).toBe(422);
    expect((await t.http.post('/api/flows/count').send({})).body).toBe(1);
  });

  it('rejects an explicit null operator in a filter (422 enum)', async () => {
    const res = await t.http.post('/api/flows/filter').send({ flows: { operator: null } });
    expect(res.status).toBe(422);
    expect(res.body.exception_detail[0]).toMatchObject({ type: 'enum', loc: ['body', 'flows', 'operator'] });
  });

  it('answers JSON as Starlette does: application/json without a charset, the exact length, no body for HEAD', async () => {
    const created = await t.http.post('/api/flows/').send({ name: 'json-shape' });
    const get = await t.http.get(`/api/flows/${created.body.id}`);
    expect(get.headers['content-type']).toBe('application/json');
    expect(Number(get.headers['content-length'])).toBe(Buffer.byteLength(get.text));
    expect(JSON.parse(get.text)).toEqual(created.body);
    const head = await t.http.head(`/api/flows/${created.body.id}`);
    expect(head.status).toBe(200);
    expect(head.text ?? '').toBe('');
    expect([head.headers['content-type'], head.headers['content-length']]).toEqual([
      get.headers['content-type'],
      get.headers['content-length'],
    ]);
    expect((await t.http.head(`/api/flows/${ID}`)).headers['content-type']).toBe('application/json');
    for (const res of [
      await t.http.post('/api/flows/count').send({}),
      await t.http.get('/api/health'),
      await t.http.get(`/api/flows/${ID}`),
      await t.http.post('/api/flows/').send({}),
    ]) {
      expect([res.status, res.headers['content-type']]).toEqual([res.status, 'application/json']);
      expect(() => JSON.parse(res.text)).not.toThrow();
    }
    expect((await t.http.post('/api/flows/count').send({})).text).toBe('1');
    expect((await t.http.get('/api/health')).text).toBe('true');
  });
});
