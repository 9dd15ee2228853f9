import { LoggerService } from '@nestjs/common';
import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import pino, { DestinationStream, Level, Logger as Pino } from 'pino';
import pinoPretty from 'pino-pretty';
import { LogLevelName } from '../config/app-config';

let pending: string[] = [];
let flushScheduled = false;

function flushStdout(): void {
  flushScheduled = false;
  if (pending.length === 0) return;
  const chunk = pending.join('');
  pending = [];
  process.stdout.write(chunk);
}

/**
 * Log lines are gathered and written once per event-loop turn: under load that is one write for many
 * request lines instead of a system call each. Whatever is still pending at exit is written synchronously.
 */
export function bufferedStdout(line: string): void {
  pending.push(line);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushStdout);
  }
}
process.on('exit', () => {
  if (pending.length) writeSync(1, pending.join(''));
});

/** Nest's level names on pino's. */
const PINO_LEVEL: Record<LogLevelName, Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

export interface LogOptions {
  format: 'json' | 'pretty';
  level: LogLevelName;
  /** Where lines go; the buffered stdout writer by default. */
  out?: (line: string) => void;
  /** Colour codes in pretty output; only when the output is a terminal. */
  colour?: boolean;
  /** Fields on every line (the worker number when several processes share the port). */
  base?: Record<string, unknown>;
}

const HIDDEN_IN_PRETTY = new Set(['level', 'time', 'msg', 'context', 'err', 'pid', 'hostname']);

/** `[context] message key=value ...` and the stack under it: one readable line per event. */
function prettyLine(log: Record<string, unknown>): string {
  const extras = Object.entries(log)
    .filter(([k]) => !HIDDEN_IN_PRETTY.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const context = log.context ? `[${String(log.context)}] ` : '';
  const stack = (log.err as { stack?: string } | undefined)?.stack;
  return `${context}${String(log.msg ?? '')}${extras ? ' ' + extras : ''}${stack ? '\n' + stack : ''}`;
}

/**
 * The process's pino logger: one JSON object a line for log shippers, or pino-pretty's readable lines. Nest, the
 * request log and the error filter all write through it. Nothing logs request bodies or headers, so secrets (the
 * auth string, passwords in DATABASE_URL) cannot leak into the log.
 */
export function createRootLogger(options: LogOptions): Pino {
  const out = options.out ?? bufferedStdout;
  const sink: DestinationStream = { write: (line: string) => out(line) };
  const destination =
    options.format === 'json'
      ? sink
      : pinoPretty({
          destination: new Writable({
            write(chunk: Buffer, _encoding, done) {
              out(String(chunk));
              done();
            },
          }),
          sync: true,
          colorize: options.colour ?? false,
          translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
          hideObject: true,
          ignore: 'pid,hostname',
          messageFormat: (log) => prettyLine(log),
        });
  return pino(
    {
      level: PINO_LEVEL[options.level],
      base: options.base ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** nestjs-pino's PinoLogger, bound to this app's own root logger rather than to the first one made in the process. */
class RootPinoLogger extends PinoLogger {
  constructor(private readonly root: Pino) {
    super({ pinoHttp: { logger: root } });
  }
  override get logger(): Pino {
    return this.root;
  }
}

/** Nest's LoggerService on a pino logger (nestjs-pino's adapter: `err` objects with stacks, `context` fields). */
export function nestLogger(root: Pino): LoggerService {
  return new NestPinoLogger(new RootPinoLogger(root), {});
}

/** Nest's own start-up chatter (one line per module and per route): useful when debugging, noise otherwise. */
const STARTUP_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/** Moves Nest's start-up lines to debug, so a start prints only what an operator needs. */
export function quietStartup(logger: LoggerService): LoggerService {
  const isStartup = (message: unknown, params: unknown[]) => {
    const context = String(params[params.length - 1]);
    // MikroORM's migrator logs each step; SchemaState sums them up in one line.
    return STARTUP_CONTEXTS.has(context) || (context === 'Database' && String(message).startsWith('[migrator]'));
  };
  return {
    log: (message: unknown, ...params: unknown[]) =>
      isStartup(message, params) ? logger.debug?.(message, ...params) : logger.log(message, ...params),
    // Nest reports a failed listen here too; main.ts says it in words an operator can act on.
    error: (message: unknown, ...params: unknown[]) =>
      params[params.length - 1] === 'NestApplication'
        ? logger.debug?.(message, ...params)
        : logger.error(message, ...params),
    warn: (message: unknown, ...params: unknown[]) => logger.warn(message, ...params),
    debug: (message: unknown, ...params: unknown[]) => logger.debug?.(message, ...params),
    verbose: (message: unknown, ...params: unknown[]) => logger.verbose?.(message, ...params),
    fatal: (message: unknown, ...params: unknown[]) => logger.fatal?.(message, ...params),
  };
}
