import autocannon from 'autocannon';
import { Pool } from 'pg';
import { spawn, execFileSync } from 'node:child_process';
import { startEmbeddedPostgres } from './src/database/embedded-postgres';
(async () => {
  const pg = await startEmbeddedPostgres({ dataDir: '/tmp/prof/data', port: 0, database: 'qb', log: () => {}, ephemeral: true });
  execFileSync(process.execPath, ['-r','ts-node/register/transpile-only','src/database/migrate.cli.ts','up'], { env: {...process.env, DATABASE_URL: pg.url}, stdio: 'ignore'});
  const pool = new Pool({ connectionString: pg.url, max: 2 });
  await pool.query(`INSERT INTO flow (name, tags) SELECT 'flow-' || g, '["a"]' FROM generate_series(1, 5000) g`);
  const { rows: [{ id }] } = await pool.query(`SELECT id FROM flow WHERE name = 'flow-500'`);
  const path = process.argv[2] === 'create' ? '/api/flows/' : `/api/flows/${id}`;
  const app = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof/out', 'dist/src/main.js'], { env: { ...process.env, DATABASE_URL: pg.url, PORT: '4391', MIGRATE_ON_START: 'false', LOG_LEVEL: 'warn', LOG_REQUESTS: process.env.LOG_REQUESTS ?? 'true', NODE_ENV: 'production' }, stdio: 'inherit' });
  await new Promise(r => setTimeout(r, 3000));
  const opts: any = { url: `http://127.0.0.1:4391${path}`, connections: 10, duration: 8 };
  if (process.argv[2] === 'create') { opts.method = 'POST'; opts.headers = { 'content-type': 'application/json' }; opts.body = JSON.stringify({ name: 'flow-7' }); }
  const r = await autocannon(opts);
  console.log('req/s', Math.round(r.requests.average), 'p50', r.latency.p50, 'non2xx', r.non2xx);
  app.kill('SIGINT'); await new Promise(r => app.once('exit', r));
  await pool.end(); await pg.stop();
})();
