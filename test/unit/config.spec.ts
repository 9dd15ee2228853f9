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
