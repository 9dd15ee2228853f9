/**
 * Typed settings, read once from the environment and validated at boot.
 * Every variable is documented in the README's configuration table.
 */
export interface AppConfig {
  /** HTTP port (PORT). */
  port: number;
  /** HTTP bind address (HOST). */
  host: string;
  /** External PostgreSQL URL; when undefined an embedded PostgreSQL is started (DATABASE_URL). */
  databaseUrl?: string;
  /** Data folder of the embedded PostgreSQL (EMBEDDED_PG_DIR). */
  embeddedPgDir: string;
  /** Port of the embedded PostgreSQL; 0 picks a free one (EMBEDDED_PG_PORT). */
  embeddedPgPort: number;
  /** EMBEDDED_PG_PORT was given: a taken port is an error, not a reason to pick another. */
  embeddedPgPortSet: boolean;
  /** Default and maximum `limit` of list endpoints (PREFECT_SERVER_API_DEFAULT_LIMIT, PREFECT_API_DEFAULT_LIMIT). */
  defaultLimit: number;
  /** Largest accepted request body, in bytes (BODY_LIMIT, e.g. "1mb"). */
  bodyLimitBytes: number;
  /** Apply pending migrations at start, under an advisory lock (MIGRATE_ON_START). */
  migrateOnStart: boolean;
  /** Connection pool size (DB_POOL_MAX). */
  dbPoolMax: number;
  /** How long a request waits for a pooled connection before answering 503, ms (DB_ACQUIRE_TIMEOUT_MS). */
  dbAcquireTimeoutMs: number;
  /** Server-side statement timeout, ms (DB_STATEMENT_TIMEOUT_MS); Prefect's default is 10 s. */
  dbStatementTimeoutMs: number;
  /**
   * Client-side backstop for a statement the server does not answer, ms; its connection is then destroyed and
   * the statement cancelled (DB_QUERY_TIMEOUT_MS; default: the statement timeout + 2 s, 0 = none).
   */
  dbQueryTimeoutMs: number;
  /**
   * Most pooled connections that heavy queries (filter, count, paginate, bulk delete) hold at once; the rest stay
   * for point queries (DB_HEAVY_MAX; default: half the pool).
   */
  dbHeavyMax: number;
  /** Timeout for opening a new database connection, ms (DB_CONNECT_TIMEOUT_MS). */
  dbConnectTimeoutMs: number;
  /** Log level: error, warn, log, debug, verbose (LOG_LEVEL). */
  logLevel: LogLevelName;
  /** `user:password`: when set, every route but health and ready needs HTTP basic auth (API_AUTH_STRING). */
  apiAuthString?: string;
  /** Origins allowed by CORS: `*`, or a comma-separated list; empty disables CORS (CORS_ALLOWED_ORIGINS). */
  corsAllowedOrigins: string[];
  /** `json` (one JSON object a line) or `pretty` (human-readable) (LOG_FORMAT). */
  logFormat: 'json' | 'pretty';
  /** Log one line per request (LOG_REQUESTS). */
  logRequests: boolean;
  /** How long SIGTERM waits for in-flight requests before closing, ms (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /** The Prefect release whose API this service implements, answered by /api/admin/version (PREFECT_SERVER_VERSION). */
  prefectVersion: string;
  /** Largest accepted body of `POST /api/logs/`, in bytes (LOGS_BODY_LIMIT): Prefect's client batches up to 4 MB. */
  logsBodyLimitBytes: number;
  /** Largest accepted frame on the events websocket, in bytes (EVENTS_MAX_FRAME_SIZE, e.g. "1mb"). */
  eventsMaxFrameBytes: number;
}

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Nest injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

function parseSize(raw: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(raw);
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()]);
}

function parseBool(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return undefined;
}

/** Reads and validates the settings; throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = <T>(names: string[], fallback: T, parse: (raw: string) => T | undefined, expected: string): T => {
    for (const name of names) {
      const raw = env[name];
      if (raw === undefined || raw === '') continue;
      const value = parse(raw);
      if (value === undefined) {
        problems.push(`${name}=${JSON.stringify(raw)} is not ${expected}`);
        return fallback;
      }
      return value;
    }
    return fallback;
  };
  const int = (min: number, max: number) => (raw: string) => {
    const n = Number(raw);
    return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  };
  const str = (raw: string) => raw;

  const config: AppConfig = {
    port: read(['PORT'], 4200, int(0, 65535), 'a port number (0-65535)'),
    host: read(['HOST'], '127.0.0.1', str, 'a host'),
    databaseUrl: read<string | undefined>(
      ['DATABASE_URL'],
      undefined,
      (raw) => (/^postgres(ql)?:\/\//.test(raw) ? raw : undefined),
      'a postgres:// or postgresql:// URL',
    ),
    embeddedPgDir: read(['EMBEDDED_PG_DIR'], '.data/postgres', str, 'a folder'),
    embeddedPgPort: read(['EMBEDDED_PG_PORT'], 5433, int(0, 65535), 'a port number (0-65535)'),
    embeddedPgPortSet: Boolean(env.EMBEDDED_PG_PORT),
    defaultLimit: read(
      ['PREFECT_SERVER_API_DEFAULT_LIMIT', 'PREFECT_API_DEFAULT_LIMIT'],
      200,
      int(1, 10_000),
      'an integer from 1 to 10000',
    ),
    bodyLimitBytes: read(['BODY_LIMIT'], 1024 ** 2, parseSize, 'a size such as 1mb or 524288'),
    migrateOnStart: read(['MIGRATE_ON_START'], true, parseBool, 'a boolean (true/false)'),
    dbPoolMax: read(['DB_POOL_MAX'], 10, int(1, 1000), 'an integer from 1 to 1000'),
    dbAcquireTimeoutMs: read(['DB_ACQUIRE_TIMEOUT_MS'], 5_000, int(1, 600_000), 'milliseconds (1-600000)'),
    dbStatementTimeoutMs: read(['DB_STATEMENT_TIMEOUT_MS'], 10_000, int(0, 3_600_000), 'milliseconds (0 = none)'),
    dbQueryTimeoutMs: 0,
    dbHeavyMax: 0,
    dbConnectTimeoutMs: read(['DB_CONNECT_TIMEOUT_MS'], 5_000, int(1, 600_000), 'milliseconds (1-600000)'),
    logLevel: read<LogLevelName>(
      ['LOG_LEVEL'],
      'log',
      (raw) => ((LOG_LEVELS as readonly string[]).includes(raw) ? (raw as LogLevelName) : undefined),
      `one of ${LOG_LEVELS.join(', ')}`,
    ),
    shutdownTimeoutMs: read(['SHUTDOWN_TIMEOUT_MS'], 10_000, int(0, 600_000), 'milliseconds'),
    apiAuthString: read<string | undefined>(
      ['API_AUTH_STRING', 'PREFECT_SERVER_API_AUTH_STRING'],
      undefined,
      (raw) => (/^[^:]+:.+$/s.test(raw) ? raw : undefined),
      'of the form user:password',
    ),
    corsAllowedOrigins: read(
      ['CORS_ALLOWED_ORIGINS', 'PREFECT_SERVER_CORS_ALLOWED_ORIGINS'],
      ['*'],
      (raw) =>
        raw
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      'a comma-separated list of origins',
    ),
    logFormat: read<'json' | 'pretty'>(
      ['LOG_FORMAT'],
      process.stdout.isTTY ? 'pretty' : 'json',
      (raw) => (raw === 'json' || raw === 'pretty' ? raw : undefined),
      'json or pretty',
    ),
    logRequests: read(['LOG_REQUESTS'], true, parseBool, 'a boolean (true/false)'),
    // Prefect's client compares major versions (and warns when the server's is older than its own), so it must
    // parse as a PEP 440 version.
    prefectVersion: read(
      ['PREFECT_SERVER_VERSION'],
      '3.8.4.dev6',
      (raw) => (/^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$/.test(raw) ? raw : undefined),
      'a version such as 3.8.4',
    ),
    logsBodyLimitBytes: read(['LOGS_BODY_LIMIT'], 8 * 1024 ** 2, parseSize, 'a size such as 8mb'),
    eventsMaxFrameBytes: read(['EVENTS_MAX_FRAME_SIZE'], 1024 ** 2, parseSize, 'a size such as 1mb or 524288'),
  };
  config.dbQueryTimeoutMs = read(
    ['DB_QUERY_TIMEOUT_MS'],
    config.dbStatementTimeoutMs ? config.dbStatementTimeoutMs + 2_000 : 0,
    int(0, 3_600_000),
    'milliseconds (0 = none)',
  );
  config.dbHeavyMax = read(
    ['DB_HEAVY_MAX'],
    Math.max(1, Math.floor(config.dbPoolMax / 2)),
    int(1, config.dbPoolMax),
    `an integer from 1 to DB_POOL_MAX (${config.dbPoolMax})`,
  );
  if (problems.length) throw new ConfigError(problems);
  return config;
}
