import { isoTimestamp, trimZeroFraction } from '../database/sql/timestamps';
import { SqlRepository } from '../database/sql/sql-repository';
import { FilterScope, SqlFragment } from '../query-filters/language';
import type { Log, LogCreate } from './dto/log.dto';
import { LogSort } from './dto/log.dto';
import type { LogEntity } from './log.entity';

const ORDER: Record<LogSort, string> = {
  // id breaks ties, so offset pages never repeat or skip lines logged in the same microsecond.
  [LogSort.TIMESTAMP_ASC]: 'l.timestamp ASC, l.id ASC',
  [LogSort.TIMESTAMP_DESC]: 'l.timestamp DESC, l.id DESC',
};

export const LOG_SCOPE = new FilterScope('l');

/** Queries on `log`. */
export class LogRepository extends SqlRepository<LogEntity> {
  /** One statement for the whole batch: each column goes in as one array parameter. */
  async insertLogs(logs: LogCreate[]): Promise<void> {
    if (!logs.length) return;
    await this.rows(
      `INSERT INTO log (name, level, message, timestamp, flow_run_id, task_run_id)
       SELECT * FROM unnest(?::varchar[], ?::smallint[], ?::text[], ?::timestamptz[], ?::uuid[], ?::uuid[])`,
      [
        logs.map((l) => l.name),
        logs.map((l) => l.level),
        logs.map((l) => l.message),
        logs.map((l) => l.timestamp),
        logs.map((l) => l.flow_run_id ?? null),
        logs.map((l) => l.task_run_id ?? null),
      ],
      { prepare: true },
    );
  }

  async findLogs(where: SqlFragment, sort: LogSort, limit: number, offset: number): Promise<Log[]> {
    const rows = await this.rows<Log>(
      `SELECT l.id, ${isoTimestamp('l.created')}, ${isoTimestamp('l.updated')}, l.name, l.level, l.message,
              ${isoTimestamp('l.timestamp')}, l.flow_run_id, l.task_run_id
         FROM log l WHERE ${where.sql} ORDER BY ${ORDER[sort]} LIMIT ? OFFSET ?`,
      [...where.params, limit, offset],
    );
    return rows.map((r) => ({
      ...r,
      created: trimZeroFraction(r.created) as string,
      updated: trimZeroFraction(r.updated) as string,
      timestamp: trimZeroFraction(r.timestamp) as string,
    }));
  }
}
