import { ConfigError, loadConfig } from '../../src/config/app-config';

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
