import { LoggerService, LogLevel } from '@nestjs/common';
import { writeSync } from 'node:fs';
import { LogLevelName, LOG_LEVELS } from '../config/app-config';

type Fields = Record<string, unknown>;

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

const NEST_TO_LEVEL: Record<LogLevel, string> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * The process logger: one JSON object a line (for log shippers), or a short human-readable line in development.
 * Nest, the request log and the error filter all write through it. It never logs request bodies or headers, so
 * secrets (the auth string, passwords in DATABASE_URL) cannot leak into the log.
 */
export class AppLogger implements LoggerService {
  private readonly enabled: Set<string>;

  constructor(
    private readonly format: 'json' | 'pretty',
    level: LogLevelName,
    private readonly out: (line: string) => void = bufferedStdout,
  ) {
    this.enabled = new Set(LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1));
    this.enabled.add('fatal');
  }

  isEnabled(level: LogLevel): boolean {
    return this.enabled.has(level);
  }

  write(level: LogLevel, msg: string, fields: Fields = {}): void {
    if (!this.enabled.has(level)) return;
    if (this.format === 'json') {
      this.out(JSON.stringify({ time: new Date().toISOString(), level: NEST_TO_LEVEL[level], msg, ...fields }) + '\n');
      return;
    }
    const extras = Object.entries(fields)
      .filter(([k]) => k !== 'context' && k !== 'stack')
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    const context = fields.context ? `[${String(fields.context)}] ` : '';
    const stack = fields.stack ? `\n${String(fields.stack)}` : '';
    this.out(
      `${new Date().toISOString()} ${level.toUpperCase().padEnd(7)} ${context}${msg}${extras ? ' ' + extras : ''}${stack}\n`,
    );
  }

  log(message: unknown, context?: string): void {
    this.write('log', String(message), context ? { context } : {});
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    // Nest calls error(message, stack, context) or error(message, context).
    const fields: Fields = {};
    if (context) {
      fields.context = context;
      if (stackOrContext) fields.stack = stackOrContext;
    } else if (stackOrContext && stackOrContext.includes('\n')) fields.stack = stackOrContext;
    else if (stackOrContext) fields.context = stackOrContext;
    this.write('error', message instanceof Error ? message.message : String(message), fields);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', String(message), context ? { context } : {});
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', String(message), context ? { context } : {});
  }
  verbose(message: unknown, context?: string): void {
    this.write('verbose', String(message), context ? { context } : {});
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', String(message), context ? { context } : {});
  }
}
