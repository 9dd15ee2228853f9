import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, TestContext } from '../support/test-app';

describe('health, readiness and the OpenAPI document', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /api/health answers 200 true', async () => {
    const res = await t.http.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toBe(true);
  });

  it('GET /api/ready answers 200 with terminus’s report while migrations are applied and the database answers', async () => {
    const res = await t.http.get('/api/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      info: { migrations: { status: 'up' }, database: { status: 'up' } },
      error: {},
      details: { migrations: { status: 'up' }, database: { status: 'up' } },
    });
  });

  it('serves the OpenAPI document with Prefect schema names, and Swagger UI', async () => {
    const doc = (await t.http.get('/api/openapi.json')).body;
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Flow', 'FlowCreate', 'FlowUpdate']));
    expect(doc.components.schemas.FlowCreate.required).toEqual(['name']);
    expect(doc.components.schemas.FlowCreate.properties.name.pattern).toBe('^[^/%&><]+$');
    expect(Object.keys(doc.components.schemas.Flow.properties)).toEqual([
      'id',
      'created',
      'updated',
      'name',
      'tags',
      'labels',
    ]);
    const create = doc.paths['/api/flows/'].post;
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['200', '201', '422']));
    expect(create.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/FlowCreate');
    expect(doc.paths['/api/flows/{id}'].patch.responses['204']).toBeDefined();
    // Models reject unknown keys; named-field bodies ignore them; Prefect's hidden headers stay hidden.
    expect(doc.components.schemas.FlowCreate.additionalProperties).toBe(false);
    expect(doc.components.schemas.FlowFilterName.additionalProperties).toBe(false);
    expect(doc.components.schemas.Body_read_flows_flows_filter_post.additionalProperties).toBeUndefined();
    expect(doc.paths['/api/flow_runs/'].post.parameters ?? []).toEqual([]);
    const ui = await t.http.get('/api/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toMatch(/swagger/i);
  });

  it('`npm run openapi` writes the same document without a server or database', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    await promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/cli/openapi.cli.ts', out],
      {
        cwd: join(__dirname, '..', '..'),
        env: { ...process.env, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' },
      },
    );
    const written = JSON.parse(readFileSync(out, 'utf8'));
    const served = (await t.http.get('/api/openapi.json')).body;
    expect(written.paths).toEqual(served.paths);
    expect(written.components).toEqual(served.components);
  }, 60_000);
});
