/**
 * The environment's schema: every variable the app reads, with its aliases, its default and its rule, declared once
 * with class-validator (as Nest's configuration docs do it) and checked by @nestjs/config's `validate` hook at boot.
 * `.env` in the working folder is read as well; a variable set in the real environment wins over it.
 */
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Prefect's names are kept as aliases, so a Prefect server's environment works unchanged (the first name wins). */
export const ALIASES: Record<string, string[]> = {
  PREFECT_SERVER_API_DEFAULT_LIMIT: ['PREFECT_API_DEFAULT_LIMIT'],
  API_AUTH_STRING: ['PREFECT_SERVER_API_AUTH_STRING'],
  CORS_ALLOWED_ORIGINS: ['PREFECT_SERVER_CORS_ALLOWED_ORIGINS'],
};

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

function parseSize(raw: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(raw);
  return m ? Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()]) : undefined;
}

function parseBool(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return undefined;
}

/** Parsed value, or the raw string when it does not parse, so that the type rule after it reports the variable. */
const int = () =>
  Transform(({ value }) => (typeof value === 'string' && /^\s*-?\d+(\.0*)?\s*$/.test(value) ? Number(value) : value));
const bool = () => Transform(({ value }) => (typeof value === 'string' ? (parseBool(value) ?? value) : value));
const size = () => Transform(({ value }) => (typeof value === 'string' ? (parseSize(value) ?? value) : value));

/** What each rule expects, in the words of the error message. */
export const EXPECTED: Record<string, string> = {};
function expects(text: string): PropertyDecorator {
  return (target, key) => {
    EXPECTED[String(key)] = text;
  };
}

export class EnvironmentVariables {
  @expects('a port number (0-65535)')
  @IsOptional()
  @int()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @expects('a host')
  @IsOptional()
  @IsString()
  HOST?: string;

  @expects('a postgres:// or postgresql:// URL')
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//)
  DATABASE_URL?: string;

  @expects('a folder')
  @IsOptional()
  @IsString()
  EMBEDDED_PG_DIR?: string;

  @expects('a port number (0-65535)')
  @IsOptional()
  @int()
  @IsInt()
  @Min(0)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @expects('an integer from 1 to 10000')
  @IsOptional()
  @int()
  @IsInt()
  @Min(1)
  @Max(10_000)
  PREFECT_SERVER_API_DEFAULT_LIMIT?: number;

  @expects('a size such as 1mb or 524288')
  @IsOptional()
  @size()
  @IsInt()
  @Min(0)
  BODY_LIMIT?: number;

  @expects('a boolean (true/false)')
  @IsOptional()
  @bool()
  @IsBoolean()
  MIGRATE_ON_START?: boolean;

  @expects('an integer from 1 to 1000')
  @IsOptional()
  @int()
  @IsInt()
  @Min(1)
  @Max(1000)
  DB_POOL_MAX?: number;

  @expects('milliseconds (1-600000)')
  @IsOptional()
  @int()
  @IsInt()
  @Min(1)
  @Max(600_000)
  DB_ACQUIRE_TIMEOUT_MS?: number;

  @expects('milliseconds (0 = none)')
  @IsOptional()
  @int()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  DB_STATEMENT_TIMEOUT_MS?: number;

  @expects('milliseconds (1-600000)')
  @IsOptional()
  @int()
  @IsInt()
  @Min(1)
  @Max(600_000)
  DB_CONNECT_TIMEOUT_MS?: number;

  @expects(`one of ${LOG_LEVELS.join(', ')}`)
  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL?: LogLevelName;

  @expects('milliseconds')
  @IsOptional()
  @int()
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS?: number;

  @expects('of the form user:password')
  @IsOptional()
  @Matches(/^[^:]+:.+$/s)
  API_AUTH_STRING?: string;

  @expects('a comma-separated list of origins')
  @IsOptional()
  @IsString()
  CORS_ALLOWED_ORIGINS?: string;

  @expects('json or pretty')
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  @expects('a boolean (true/false)')
  @IsOptional()
  @bool()
  @IsBoolean()
  LOG_REQUESTS?: boolean;

  @expects('milliseconds (0 = none)')
  @IsOptional()
  @int()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  DB_QUERY_TIMEOUT_MS?: number;

  @expects('an integer from 1 to DB_POOL_MAX')
  @IsOptional()
  @int()
  @IsInt()
  @Min(1)
  DB_HEAVY_MAX?: number;

  // Prefect's client compares major versions (and warns when the server's is older than its own), so it must
  // parse as a PEP 440 version.
  @expects('a version such as 3.8.4')
  @IsOptional()
  @Matches(/^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$/)
  PREFECT_SERVER_VERSION?: string;

  @expects('a size such as 8mb')
  @IsOptional()
  @size()
  @IsInt()
  @Min(0)
  LOGS_BODY_LIMIT?: number;

  @expects('a size such as 1mb or 524288')
  @IsOptional()
  @size()
  @IsInt()
  @Min(0)
  EVENTS_MAX_FRAME_SIZE?: number;

  @expects('an integer from 1 to 64')
  @IsOptional()
  @int()
  @IsInt()
  @Min(1)
  @Max(64)
  WEB_CONCURRENCY?: number;
}

/**
 * Validates the environment against the schema and returns it parsed, under the canonical names. Unset and empty
 * variables take their defaults; every invalid one is reported at once, named as it was set.
 */
export function validateEnvironment(env: Env): EnvironmentVariables {
  const given: Record<string, string> = {};
  const source: Record<string, string> = {};
  for (const name of Object.keys(EXPECTED)) {
    for (const candidate of [name, ...(ALIASES[name] ?? [])]) {
      const raw = env[candidate];
      if (raw === undefined || raw === '') continue;
      given[name] = raw;
      source[name] = candidate;
      break;
    }
  }
  const parsed = plainToInstance(EnvironmentVariables, given);
  const errors = validateSync(parsed, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length) {
    throw new ConfigError(
      errors.map((e) => `${source[e.property]}=${JSON.stringify(given[e.property])} is not ${EXPECTED[e.property]}`),
    );
  }
  return parsed;
}
