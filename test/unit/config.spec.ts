import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, readConfiguration } from '../../src/config/app-config';
import { EXPECTED } from '../../src/config/environment';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      port: 4200,
      host: '127.0.0.1',
      databaseUrl: undefined,
      defaultLimit: 200,
      bodyLimitBytes: 1024 * 1024,
      migrateOnStart: true,
      dbStatementTimeoutMs: 10_000,
    });
  });

  it('reads Prefect’s limit variable and its legacy alias, the new name first', () => {
    expect(loadConfig({ PREFECT_API_DEFAULT_LIMIT: '50' }).defaultLimit).toBe(50);
    expect(loadConfig({ PREFECT_SERVER_API_DEFAULT_LIMIT: '70', PREFECT_API_DEFAULT_LIMIT: '50' }).defaultLimit).toBe(
      70,
    );
  });

  it('parses sizes and booleans', () => {
    const c = loadConfig({ BODY_LIMIT: '2mb', MIGRATE_ON_START: 'false', DATABASE_URL: 'postgres://u@h/db' });
    expect(c.bodyLimitBytes).toBe(2 * 1024 * 1024);
    expect(c.migrateOnStart).toBe(false);
    expect(c.databaseUrl).toBe('postgres://u@h/db');
  });

  it('reads the Prefect version to report and the events and logs size limits', () => {
    expect(loadConfig({})).toMatchObject({
      prefectVersion: '3.8.4.dev6',
      eventsMaxFrameBytes: 1024 * 1024,
      logsBodyLimitBytes: 8 * 1024 * 1024,
    });
    const c = loadConfig({
      PREFECT_SERVER_VERSION: '3.9.0rc1',
      EVENTS_MAX_FRAME_SIZE: '64kb',
      LOGS_BODY_LIMIT: '16mb',
    });
    expect([c.prefectVersion, c.eventsMaxFrameBytes, c.logsBodyLimitBytes]).toEqual(['3.9.0rc1', 65536, 16777216]);
    expect(() => loadConfig({ PREFECT_SERVER_VERSION: 'latest' })).toThrow(/PREFECT_SERVER_VERSION="latest"/);
  });

  it('reports every invalid variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', BODY_LIMIT: 'big' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toHaveLength(4);
      expect((e as Error).message).toMatch(/PORT="eighty"/);
    }
  });
});

describe('the environment schema (@nestjs/config)', () => {
  it('names the variable as it was set, alias included', () => {
    expect(() => loadConfig({ PREFECT_SERVER_API_AUTH_STRING: 'no-colon' })).toThrow(
      /PREFECT_SERVER_API_AUTH_STRING="no-colon" is not of the form user:password/,
    );
  });

  it('reads WEB_CONCURRENCY (default 1, 1 to 64)', () => {
    expect(loadConfig({}).webConcurrency).toBe(1);
    expect(loadConfig({ WEB_CONCURRENCY: '4' }).webConcurrency).toBe(4);
    expect(() => loadConfig({ WEB_CONCURRENCY: '0' })).toThrow(/WEB_CONCURRENCY="0"/);
  });

  it('reads .env under the real environment, and puts its values into process.env for workers and tools', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-registry-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'BODY_LIMIT=3mb\nFLOW_REGISTRY_TEST_ONLY_KEY=from-file\nDB_POOL_MAX=7\n');
    process.env.DB_POOL_MAX = '9';
    try {
      const config = await readConfiguration(file);
      expect(config.bodyLimitBytes).toBe(3 * 1024 * 1024);
      expect(config.dbPoolMax).toBe(9);
      expect(process.env.FLOW_REGISTRY_TEST_ONLY_KEY).toBe('from-file');
    } finally {
      delete process.env.DB_POOL_MAX;
      delete process.env.FLOW_REGISTRY_TEST_ONLY_KEY;
      delete process.env.BODY_LIMIT;
    }
  });

  it('rejects an invalid .env value like an invalid environment variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-registry-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'LOG_LEVEL=loud\n');
    await expect(readConfiguration(file)).rejects.toThrow(/LOG_LEVEL="loud" is not one of error, warn, log/);
    delete process.env.LOG_LEVEL;
  });

  it('.env.example and the README configuration table list every variable of the schema', () => {
    const root = join(__dirname, '..', '..');
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const name of Object.keys(EXPECTED)) {
      expect([name, example.includes(`${name}=`)]).toEqual([name, true]);
      expect([name, readme.includes(`| \`${name}\``)]).toEqual([name, true]);
    }
  });
});
