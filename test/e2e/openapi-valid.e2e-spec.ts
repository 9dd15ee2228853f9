/**
 * The served /api/openapi.json is valid OpenAPI 3.0 by two independent validators (Redocly's recommended rules,
 * configured in redocly.yaml, and the 3.0 JSON schema), with and without API_AUTH_STRING, and the Try-it-out
 * examples of Swagger UI answer something on an empty database after the create example.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, TestContext } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

type Doc = {
  openapi: string;
  servers: { url: string }[];
  security?: unknown[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, unknown> };
};
type Operation = {
  operationId: string;
  tags: string[];
  security?: unknown[];
  responses: Record<string, unknown>;
  requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> };
};
type Schema = { properties?: Record<string, { example?: unknown }> };

function writeDoc(doc: Doc): string {
  const file = join(mkdtempSync(join(tmpdir(), 'openapi-valid-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

/** Problems Redocly reports (errors and warnings) for the recommended rules as redocly.yaml configures them. */
async function redoclyProblems(doc: Doc): Promise<string[]> {
  const cli = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
  const result = await run(process.execPath, [cli, 'lint', writeDoc(doc), '--format=json'], {
    cwd: ROOT,
    // Offline: no telemetry, no update check.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
    maxBuffer: 16 * 1024 * 1024,
  }).catch((err: { stdout: string }) => err);
  const report = JSON.parse(result.stdout) as {
    problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
  };
  return report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
}

/** Errors of the OpenAPI 3.0 JSON schema (@seriousme/openapi-schema-validator). */
async function schemaErrors(doc: Doc): Promise<unknown[]> {
  const cli = join(ROOT, 'node_modules', '@seriousme', 'openapi-schema-validator', 'bin', 'validate-api-cli.js');
  // It exits 1 on an invalid document; the report is on stdout either way.
  const { stdout } = await run(process.execPath, [cli, writeDoc(doc)], { maxBuffer: 16 * 1024 * 1024 }).catch(
    (err: { stdout: string }) => err,
  );
  const result = JSON.parse(stdout) as { valid: boolean; errors?: unknown[] };
  return result.valid ? [] : (result.errors ?? ['invalid']);
}

function operations(doc: Doc): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => [path, method, op] as [string, string, Operation]),
  );
}

describe('the OpenAPI document is valid OpenAPI 3.0', () => {
  let t: TestContext;
  let doc: Doc;
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/api/openapi.json')).body;
  });
  afterAll(() => t.close());
  beforeEach(() => t.truncate());

  it('passes Redocly lint (recommended rules) and the 3.0 JSON schema, with no warnings either', async () => {
    expect(doc.openapi).toBe('3.0.0');
    expect(await redoclyProblems(doc)).toEqual([]);
    expect(await schemaErrors(doc)).toEqual([]);
  }, 60_000);

  it('the validators do catch what used to be wrong (3.1 null type, nullable without type)', async () => {
    const broken = structuredClone(doc);
    const schemas = broken.components.schemas as Record<string, unknown>;
    schemas.Broken = { oneOf: [{ type: 'string' }, { type: 'null' }] };
    schemas.AlsoBroken = { nullable: true, allOf: [{ $ref: '#/components/schemas/Flow' }] };
    broken.paths['/api/flows/'].post.requestBody!.content['application/json'] = {
      schema: { $ref: '#/components/schemas/Broken' },
    } as never;
    const problems = await redoclyProblems(broken);
    expect(problems.some((p) => p.startsWith('error struct'))).toBe(true);
    expect(problems.some((p) => p.includes('nullable-type-sibling'))).toBe(true);
    expect((await schemaErrors(broken)).length).toBeGreaterThan(0);
  }, 60_000);

  it('names the server, keeps Prefect operation ids, tags each operation once, documents a 4xx', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.security).toEqual([]);
    expect(doc.components.securitySchemes ?? {}).toEqual({});
    for (const [path, method, op] of operations(doc)) {
      expect([path, method, op.tags.length]).toEqual([path, method, 1]);
      // Routes that take no input have no 4xx to document (auth is off here).
      const takesNoInput =
        /^\/api\/(health|ready|hello|admin\/version)$/.test(path) ||
        (path === '/api/admin/storage' && method !== 'put');
      if (!takesNoInput) {
        expect([path, method, Object.keys(op.responses).some((s) => s.startsWith('4'))]).toEqual([path, method, true]);
      }
    }
    expect(doc.paths['/api/flows/'].post.operationId).toBe('create_flow_flows__post');
    expect(doc.paths['/api/ui/flows/next-runs'].post.operationId).toBe('next_runs_by_flow_ui_flows_next_runs_post');
  });

  it('types nullable fields as the wire sends them (run names are strings, labels an object or null)', async () => {
    const s = doc.components.schemas as Record<string, { properties: Record<string, Record<string, unknown>> }>;
    expect(s.FlowRunCreate.properties.name).toMatchObject({ type: 'string', nullable: true });
    expect(s.TaskRunCreate.properties.name).toMatchObject({ type: 'string', nullable: true });
    expect(s.FlowCreate.properties.labels).toMatchObject({ type: 'object', nullable: true });
    expect(s.WorkPoolResponse.properties.status).toMatchObject({ type: 'string', nullable: true });
    const run = await t.http
      .post('/api/flow_runs/')
      .send({ flow_id: (await t.http.post('/api/flows/').send({ name: 'f' })).body.id, name: null });
    expect(run.status).toBe(201);
    expect(typeof run.body.name).toBe('string');
  });

  it("Swagger UI's examples for filter, count and paginate find the flow that the create example makes", async () => {
    const createExample = Object.fromEntries(
      Object.entries(doc.components.schemas.FlowCreate.properties!).map(([k, v]) => [k, v.example]),
    );
    expect((await t.http.post('/api/flows/').send(createExample)).status).toBe(201);
    const examples = (operationId: string) => {
      const op = operations(doc).find(([, , o]) => o.operationId === operationId)![2];
      return Object.entries(op.requestBody!.content['application/json'].examples!);
    };
    for (const [name, { value }] of examples('read_flows_flows_filter_post')) {
      const res = await t.http.post('/api/flows/filter').send(value as object);
      expect([name, res.status, res.body.map((f: { name: string }) => f.name)]).toEqual([name, 200, ['my-flow']]);
    }
    for (const [name, { value }] of examples('count_flows_flows_count_post')) {
      const res = await t.http.post('/api/flows/count').send(value as object);
      expect([name, res.status, res.body]).toEqual([name, 200, 1]);
    }
    for (const [name, { value }] of examples('paginate_flows_flows_paginate_post')) {
      const res = await t.http.post('/api/flows/paginate').send(value as object);
      expect([name, res.status, res.body.count]).toEqual([name, 200, 1]);
    }
    const ui = await t.http.get('/api/docs/');
    expect(ui.text).toContain('<title>Flow Registry API</title>');
  });
});

describe('the OpenAPI document with API_AUTH_STRING set', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp({ apiAuthString: 'user:secret' });
  });
  afterAll(() => t.close());

  it('applies basic auth to every operation but health and ready, and stays valid', async () => {
    const doc: Doc = (await t.http.get('/api/openapi.json').auth('user', 'secret')).body;
    expect(doc.components.securitySchemes).toEqual({ basic: expect.objectContaining({ scheme: 'basic' }) });
    expect(doc.security).toEqual([{ basic: [] }]);
    for (const [path, method, op] of operations(doc)) {
      const open = /^\/api\/(health|ready)$/.test(path);
      expect([path, method, op.security]).toEqual([path, method, open ? [] : undefined]);
      expect([path, method, '401' in op.responses]).toEqual([path, method, !open]);
    }
    // What the document promises is what the server does.
    expect((await t.http.post('/api/flows/count').send({})).status).toBe(401);
    expect((await t.http.get('/api/health')).status).toBe(200);
    expect(await redoclyProblems(doc)).toEqual([]);
    expect(await schemaErrors(doc)).toEqual([]);
  }, 60_000);
});
