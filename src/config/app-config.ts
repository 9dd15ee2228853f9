import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { ConfigError, EnvironmentVariables, LogLevelName, validateEnvironment } from './environment';

export { ConfigError, LOG_LEVELS } from './environment';
export type { LogLevelName } from './environment';

type Env = Record<string, string | undefined>;

/**
 * Typed settings, read once from the environment (and `.env`) and validated at boot by the schema in
 * environment.ts. Every variable is documented in the README's configuration table and in `.env.example`.
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
  /** Server processes sharing the port, through Node's cluster module (WEB_CONCURRENCY). */
  webConcurrency: number;
  /** The Prefect release whose API this service implements, answered by /api/admin/version (PREFECT_SERVER_VERSION). */
  prefectVersion: string;
  /** Largest accepted body of `POST /api/logs/`, in bytes (LOGS_BODY_LIMIT): Prefect's client batches up to 4 MB. */
  logsBodyLimitBytes: number;
  /** Largest accepted frame on the events websocket, in bytes (EVENTS_MAX_FRAME_SIZE, e.g. "1mb"). */
  eventsMaxFrameBytes: number;
}

/** Nest injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** The typed settings from a validated environment, with the documented defaults. */
export function toAppConfig(v: EnvironmentVariables, stdoutIsTerminal = Boolean(process.stdout.isTTY)): AppConfig {
  const dbPoolMax = v.DB_POOL_MAX ?? 10;
  const dbStatementTimeoutMs = v.DB_STATEMENT_TIMEOUT_MS ?? 10_000;
  const dbHeavyMax = v.DB_HEAVY_MAX ?? Math.max(1, Math.floor(dbPoolMax / 2));
  if (dbHeavyMax > dbPoolMax)
    throw new ConfigError([
      `DB_HEAVY_MAX=${JSON.stringify(String(dbHeavyMax))} is not an integer from 1 to DB_POOL_MAX (${dbPoolMax})`,
    ]);
  return {
    port: v.PORT ?? 4200,
    host: v.HOST ?? '127.0.0.1',
    databaseUrl: v.DATABASE_URL,
    embeddedPgDir: v.EMBEDDED_PG_DIR ?? '.data/postgres',
    embeddedPgPort: v.EMBEDDED_PG_PORT ?? 5433,
    embeddedPgPortSet: v.EMBEDDED_PG_PORT !== undefined,
    defaultLimit: v.PREFECT_SERVER_API_DEFAULT_LIMIT ?? 200,
    bodyLimitBytes: v.BODY_LIMIT ?? 1024 ** 2,
    migrateOnStart: v.MIGRATE_ON_START ?? true,
    dbPoolMax,
    dbAcquireTimeoutMs: v.DB_ACQUIRE_TIMEOUT_MS ?? 5_000,
    dbStatementTimeoutMs,
    dbQueryTimeoutMs: v.DB_QUERY_TIMEOUT_MS ?? (dbStatementTimeoutMs ? dbStatementTimeoutMs + 2_000 : 0),
    dbHeavyMax,
    dbConnectTimeoutMs: v.DB_CONNECT_TIMEOUT_MS ?? 5_000,
    logLevel: v.LOG_LEVEL ?? 'log',
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS ?? 10_000,
    apiAuthString: v.API_AUTH_STRING,
    corsAllowedOrigins: (v.CORS_ALLOWED_ORIGINS ?? '*')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    logFormat: v.LOG_FORMAT ?? (stdoutIsTerminal ? 'pretty' : 'json'),
    logRequests: v.LOG_REQUESTS ?? true,
    webConcurrency: v.WEB_CONCURRENCY ?? 1,
    prefectVersion: v.PREFECT_SERVER_VERSION ?? '3.8.4.dev6',
    logsBodyLimitBytes: v.LOGS_BODY_LIMIT ?? 8 * 1024 ** 2,
    eventsMaxFrameBytes: v.EVENTS_MAX_FRAME_SIZE ?? 1024 ** 2,
  };
}

/** Reads and validates the settings from `env` alone (tests, tools); throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): AppConfig {
  return toAppConfig(validateEnvironment(env));
}

/**
 * The server's settings: `.env` (when present) merged under the real environment by @nestjs/config, validated by
 * the schema. The `.env` values are also put into process.env, so cluster workers and tools inherit them.
 */
export async function readConfiguration(envFilePath = '.env'): Promise<AppConfig> {
  let config: AppConfig | undefined;
  await NestConfigModule.forRoot({
    envFilePath,
    validate: (env) => {
      config = toAppConfig(validateEnvironment(env as Env));
      return env;
    },
  });
  return config as AppConfig;
}
