/** Safe to expose: basic auth, CORS, security headers, error bodies without internals, request logs and ids. */
import { Controller, Get, Module } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppUnderTest, connect, sleep, startAppOn, waitFor, waitForLockWaiters } from '../support/reliability';

/** In the probes' error messages: may appear in the log (with the stack), never in a response. */
const SECRET_MARKER = 'hunter2-secret-marker';
/** In request bodies: must never appear in the log. */
const BODY_MARKER = 'body-content-marker-7f3a';

/** Test-only routes that fail the way bugs do: a thrown Error, and SQL the database rejects. */
@Controller('__probe')
class FailureProbeController {
  constructor(private readonly em: EntityManager) {}

  @Get('boom')
  boom(): never {
    throw new Error(`SELECT password FROM users WHERE token = '${SECRET_MARKER}'`);
  }

  @Get('bad-sql')
  async badSql(): Promise<unknown> {
    return this.em.getConnection().execute(`SELECT ${SECRET_MARKER.replace(/-/g, '_')} FROM no_such_table`);
  }
}

@Module({ controllers: [FailureProbeController] })
class FailureProbeModule {}

const USER = 'admin';
const PASSWORD = 'pa:ss-w0rd';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const GOOD = basic(USER, PASSWORD);
const ALLOWED_ORIGIN = 'https://ui.example.com';

interface LogLine {
  level: string;
  msg: string;
  request_id?: string;
  method?: string;
  path?: string;
  status?: number;
  ms?: number;
  err?: { stack?: string };
}

describe('security and logs', () => {
  let a: AppUnderTest;
  beforeAll(async () => {
    a = await startAppOn({
      overrides: {
        apiAuthString: `${USER}:${PASSWORD}`,
        corsAllowedOrigins: [ALLOWED_ORIGIN],
        logLevel: 'log',
        logRequests: true,
        logFormat: 'json',
      },
      extraModules: [FailureProbeModule],
    });
  });
  afterAll(() => a.close());

  const logLines = (): LogLine[] =>
    a.logs
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogLine);
  const requestLog = (requestId: string) => logLines().find((l) => l.msg === 'request' && l.request_id === requestId);

  describe('basic auth (API_AUTH_STRING)', () => {
    const flowId = '5f0a5d43-8f5b-4a63-a3d4-2b4d8f7f3a11';
    const routes: [string, string][] = [
      ['get', `/api/flows/${flowId}`],
      ['post', '/api/flows/'],
      ['patch', `/api/flows/${flowId}`],
      ['delete', `/api/flows/${flowId}`],
      ['get', '/api/flows/name/x'],
      ['get', '/api/docs/'],
      ['get', '/api/openapi.json'],
      ['get', '/api/no-such-route'],
    ];
    const wrong = [
      undefined,
      basic(USER, 'wrong'),
      basic('root', PASSWORD),
      basic(USER, PASSWORD + 'x'),
      basic(USER, PASSWORD.slice(0, -1)),
      'Basic !!!not-base64',
      `Bearer ${PASSWORD}`,
      GOOD.toLowerCase(),
    ];

    it('answers 401 JSON with a Basic challenge without or with wrong credentials, on API routes and docs', async () => {
      for (const [method, path] of routes) {
        for (const authorization of wrong) {
          const req = (a.http as unknown as Record<string, (p: string) => import('supertest').Test>)[method](path);
          if (authorization) req.set('Authorization', authorization);
          const res = await req.send({ name: 'x' }).then((r) => r);
          expect([method, path, authorization, res.status]).toEqual([method, path, authorization, 401]);
          expect(res.body).toEqual({ exception_message: 'Unauthorized' });
          expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
        }
      }
    });

    it('keeps health and ready open', async () => {
      expect((await a.http.get('/api/health')).status).toBe(200);
      expect((await a.http.get('/api/ready')).status).toBe(200);
    });

    it('lets the right credentials through', async () => {
      const created = await a.http
        .post('/api/flows/')
        .set('Authorization', GOOD)
        .send({ name: `auth-${Date.now()}` });
      expect(created.status).toBe(201);
      expect((await a.http.get(`/api/flows/${created.body.id}`).set('Authorization', GOOD)).status).toBe(200);
      expect((await a.http.get('/api/openapi.json').set('Authorization', GOOD)).status).toBe(200);
      expect((await a.http.delete(`/api/flows/${created.body.id}`).set('Authorization', GOOD)).status).toBe(204);
    });
  });

  describe('CORS (CORS_ALLOWED_ORIGINS)', () => {
    it('answers a preflight from an allowed origin (no credentials needed for the preflight)', async () => {
      const res = await a.http
        .options('/api/flows/filter')
        .set('Origin', ALLOWED_ORIGIN)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
      expect(res.headers['access-control-allow-headers']).toMatch(/authorization/i);
    });

    it('gives no allow-origin to other origins', async () => {
      const res = await a.http
        .options('/api/flows/')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('exposes X-Request-Id to allowed origins on real requests', async () => {
      const res = await a.http.get('/api/health').set('Origin', ALLOWED_ORIGIN);
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(res.headers['access-control-expose-headers']).toMatch(/X-Request-Id/i);
    });
  });

  it('sends security headers on success and error responses, and no X-Powered-By', async () => {
    for (const res of [
      await a.http.get('/api/health'),
      await a.http.get('/api/flows/5f0a5d43-8f5b-4a63-a3d4-2b4d8f7f3a11').set('Authorization', GOOD),
      await a.http.get('/api/flows/x'),
    ]) {
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'content-security-policy': expect.stringContaining("default-src 'none'"),
      });
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  describe('errors carry no internals', () => {
    it.each(['boom', 'bad-sql'])(
      'a 500 (%s) has only exception_message and request_id; the log has the stack and the same id',
      async (probe) => {
        const res = await a.http.get(`/api/__probe/${probe}`).set('Authorization', GOOD);
        expect(res.status).toBe(500);
        expect(Object.keys(res.body)).toEqual(['exception_message', 'request_id']);
        expect(res.body.exception_message).toBe('Internal Server Error');
        expect(res.body.request_id).toBe(res.headers['x-request-id']);
        for (const leak of [SECRET_MARKER.slice(0, 7), 'SELECT', 'no_such_table', ' at ', '.ts', 'Error:'])
          expect(res.text).not.toContain(leak);

        const errorLine = logLines().find(
          (l) => l.level === 'error' && l.msg.includes(`request_id=${res.body.request_id}`),
        );
        // nestjs-pino logs an error's stack as pino does: under err.
        expect(errorLine?.err?.stack).toMatch(/\n\s+at /);
        expect(requestLog(res.body.request_id)).toMatchObject({ status: 500, level: 'error' });
      },
    );

    it('4xx bodies echo no stack or SQL either', async () => {
      const res = await a.http
        .post('/api/flows/')
        .set('Authorization', GOOD)
        .set('Content-Type', 'application/json')
        .send('{"name": ');
      expect(res.status).toBe(422);
      expect(res.text).not.toMatch(/\n\s+at |\.ts:|SELECT|INSERT/);
    });
  });

  describe('request logs and ids', () => {
    it('logs a request the client abandoned once, with status 499', async () => {
      const created = await a.http
        .post('/api/flows/')
        .set('Authorization', GOOD)
        .send({ name: `abandoned-${Date.now()}` });
      const locker = await connect(a.databaseUrl);
      const observer = await connect(a.databaseUrl);
      const requestId = `abandoned-${Date.now()}`;
      try {
        await locker.query('BEGIN');
        await locker.query('SELECT id FROM flow WHERE id = $1 FOR UPDATE', [created.body.id]);
        // The PATCH waits on the row lock; the client gives up before it is answered.
        const req = httpRequest(
          `http://127.0.0.1:${(a.app.getHttpServer().address() as AddressInfo).port}/api/flows/${created.body.id}`,
          {
            method: 'PATCH',
            headers: { authorization: GOOD, 'content-type': 'application/json', 'x-request-id': requestId },
          },
        );
        req.on('error', () => undefined);
        req.end(JSON.stringify({ tags: ['x'] }));
        await waitForLockWaiters(observer, 1);
        req.destroy();
        await waitFor('the abandoned request’s log line', async () => requestLog(requestId) !== undefined, 5_000);
        await locker.query('ROLLBACK');
        // The statement finishes after the hang-up; the answer goes nowhere and is not logged a second time.
        await sleep(300);
        const lines = logLines().filter((l) => l.msg === 'request' && l.request_id === requestId);
        expect(lines).toEqual([expect.objectContaining({ method: 'PATCH', status: 499 })]);
      } finally {
        await locker.end();
        await observer.end();
      }
    });

    it('logs one JSON line per request with request_id, method, path, status and ms; never headers or bodies', async () => {
      const res = await a.http
        .post('/api/flows/')
        .set('Authorization', GOOD)
        .send({ name: `log-${Date.now()}`, tags: [BODY_MARKER], labels: { token: BODY_MARKER } });
      expect(res.status).toBe(201);
      const line = requestLog(res.headers['x-request-id']);
      expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'POST', path: '/api/flows/', status: 201 });
      expect(typeof line?.ms).toBe('number');
      // Nothing sensitive anywhere in the log: not the credentials (raw or encoded), not body contents.
      const all = a.logs.join('');
      for (const secret of [GOOD, GOOD.slice(6), PASSWORD, BODY_MARKER]) expect(all).not.toContain(secret);
    });

    it('echoes X-Request-Id: a fresh UUID by default, a sane caller-supplied id kept, an insane one replaced', async () => {
      const fresh = await a.http.get('/api/health');
      expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

      const supplied = 'trace-42.abc:XYZ_1';
      const kept = await a.http.get('/api/health').set('X-Request-Id', supplied);
      expect(kept.headers['x-request-id']).toBe(supplied);
      expect(requestLog(supplied)).toMatchObject({ path: '/api/health', status: 200 });

      for (const insane of ['has spaces', 'x'.repeat(500), '<script>', '"quoted"']) {
        const res = await a.http.get('/api/health').set('X-Request-Id', insane);
        expect(res.headers['x-request-id']).not.toBe(insane);
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
    });
  });
});

describe('human-readable logs (LOG_FORMAT=pretty)', () => {
  it('writes one readable line per request', async () => {
    const a = await startAppOn({ overrides: { logFormat: 'pretty', logLevel: 'log', logRequests: true } });
    try {
      const res = await a.http.get('/api/health');
      const line = a.logs.find((l) => l.includes(`request_id=${res.headers['x-request-id']}`));
      expect(line).toMatch(/INFO|LOG/);
      expect(line).toMatch(/method=GET path=\/api\/health status=200 ms=/);
      expect(() => JSON.parse(line as string)).toThrow();
    } finally {
      await a.close();
    }
  });
});

describe('statement logs (LOG_LEVEL=verbose)', () => {
  it('logs every statement a request runs with its duration, never its values', async () => {
    const a = await startAppOn({ overrides: { logFormat: 'json', logLevel: 'verbose', logRequests: true } });
    try {
      const name = `verbose-marker-${Date.now()}`;
      const created = await a.http.post('/api/flows/').send({ name, tags: [BODY_MARKER] });
      expect(created.status).toBe(201);
      const before = a.logs.length;
      const filtered = await a.http.post('/api/flows/filter').send({ flows: { name: { like_: name } } });
      expect(filtered.body).toHaveLength(1);
      await a.http.get(`/api/flows/${created.body.id}`).expect(200);
      const sql = a.logs
        .slice(before)
        .map((l) => JSON.parse(l) as LogLine & { context?: string })
        .filter((l) => l.context === 'SQL');
      // One statement for the filter page, one for the read by id.
      expect(sql).toHaveLength(2);
      for (const line of sql) {
        expect(line.level).toBe('trace');
        expect(line.msg).toMatch(/^(SELECT|WITH) .* \[\d+\.\d\d ms, \d+ rows?\]$/);
      }
      const all = a.logs.join('\n');
      expect(all).not.toContain(name);
      expect(all).not.toContain(BODY_MARKER);
    } finally {
      await a.close();
    }
  });
});
