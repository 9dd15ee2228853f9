import { isoTimestamp, trimZeroFraction } from '../../database/sql/timestamps';
import { jsonb, SqlRepository } from '../../database/sql/sql-repository';
import type { SqlFragment } from '../../query-filters/language';
import type { RunKind } from './state-history';
import { RunTimes, StoredState } from './state-transition';

/** The columns a state writes, in one order for INSERT and UPDATE alike, with their casts. */
const RUN_STATE_COLUMNS: [column: string, cast: string][] = [
  ['state', '::jsonb'],
  ['state_type', '::state_type'],
  ['state_name', ''],
  ['state_timestamp', '::timestamptz'],
  ['expected_start_time', '::timestamptz'],
  ['next_scheduled_start_time', '::timestamptz'],
  ['start_time', '::timestamptz'],
  ['end_time', '::timestamptz'],
  ['run_count', '::int'],
  ['total_run_time', '::float8'],
];

export const RUN_STATE_COLUMN_LIST = RUN_STATE_COLUMNS.map(([c]) => c).join(', ');
export const RUN_STATE_PLACEHOLDERS = RUN_STATE_COLUMNS.map(([, cast]) => `?${cast}`).join(', ');

/** Bind values for RUN_STATE_COLUMNS. */
export function runStateParams(state: StoredState, times: RunTimes): unknown[] {
  return [
    jsonb(state),
    times.state_type,
    times.state_name,
    times.state_timestamp,
    times.expected_start_time,
    times.next_scheduled_start_time,
    times.start_time,
    times.end_time,
    times.run_count,
    times.total_run_time,
  ];
}

/** What a transition reads of a run, locked: its derived columns, current state, policy and links. */
export interface LockedRun extends RunTimes {
  flow_run_id: string | null;
  /** The parent task run of a subflow run (always null for task runs). */
  parent_task_run_id: string | null;
  state: StoredState | null;
  empirical_policy: Record<string, unknown>;
}

/** One page of a run listing: Prefect's sort, then LIMIT and OFFSET. */
export interface RunPage<Sort extends string> {
  sort: Sort;
  limit: number;
  offset: number;
}

/** A run as selected: the response's fields, but the state as stored (state_id and the rendered state come from it). */
export type RunRow<Run> = Omit<Run, 'state' | 'state_id'> & { state: StoredState | null };

/**
 * Shared by flow runs and task runs: read, list, count and delete runs through the statement pieces each subclass
 * gives (its SELECT, sort orders, WHERE builder and row mapping); lock a run's derived columns for a transition and
 * write the new state with its derived columns back (call both inside one transaction).
 */
export abstract class RunRepository<
  E extends object,
  Run = unknown,
  Filters = unknown,
  Sort extends string = string,
> extends SqlRepository<E> {
  protected abstract readonly table: RunKind;
  /** The table's alias in `selectRun`, `sortOrder` and `where` (`fr`, `tr`). */
  protected abstract readonly alias: string;
  /** The SELECT of a run's response columns FROM `table alias` (and its joins), up to the WHERE. */
  protected abstract readonly selectRun: string;
  /** Prefect's ORDER BY per sort. */
  protected abstract readonly sortOrder: Record<Sort, string>;
  /** The WHERE clause of a listing with these filter groups. */
  protected abstract readonly where: (filters: Filters) => SqlFragment;
  /** A selected row as the API returns it, in Prefect's key order. */
  protected abstract readonly toRun: (row: RunRow<Run>) => Run;
  /** The SQL expression giving the run's flow run id (`id` for flow runs). */
  protected abstract readonly flowRunIdColumn: string;
  /** The SQL expression giving a subflow run's parent task run id (NULL for task runs). */
  protected abstract readonly parentTaskRunIdColumn: string;

  async findById(id: string): Promise<Run | undefined> {
    const row = await this.one<RunRow<Run>>(`${this.selectRun} WHERE ${this.alias}.id = ?`, [id]);
    return row && this.toRun(row);
  }

  /** One page of the runs matching the filters. */
  async findMatching(filters: Filters, page: RunPage<Sort>): Promise<Run[]> {
    const rows = await this.pageWhere<RunRow<Run>>(
      this.selectRun,
      this.where(filters),
      this.sortOrder[page.sort],
      page,
    );
    return rows.map(this.toRun);
  }

  countMatching(filters: Filters): Promise<number> {
    return this.countWhere(`${this.table} ${this.alias}`, this.where(filters));
  }

  deleteById(id: string): Promise<boolean> {
    return this.deleteRowById(this.table, id);
  }

  async lockRunTimes(id: string): Promise<LockedRun | undefined> {
    const row = await this.one<LockedRun>(
      `SELECT state_type, state_name, ${isoTimestamp('state_timestamp')}, ${isoTimestamp('expected_start_time')},
              ${isoTimestamp('next_scheduled_start_time')}, ${isoTimestamp('start_time')}, ${isoTimestamp('end_time')},
              run_count, total_run_time, ${this.flowRunIdColumn} AS flow_run_id,
              ${this.parentTaskRunIdColumn} AS parent_task_run_id, state, empirical_policy
         FROM ${this.table} WHERE id = ? FOR UPDATE`,
      [id],
    );
    return row && { ...row, total_run_time: Number(row.total_run_time) };
  }

  async writeRunState(id: string, state: StoredState, times: RunTimes): Promise<void> {
    const set = RUN_STATE_COLUMNS.map(([column, cast]) => `${column} = ?${cast}`).join(', ');
    await this.rows(`UPDATE ${this.table} SET ${set}, updated = now() WHERE id = ?`, [
      ...runStateParams(state, times),
      id,
    ]);
  }
}

/** The time fields of a run response, expected_start_time to estimated_start_time_delta (one block in both kinds). */
export interface RunTimeFields {
  expected_start_time: string | null;
  next_scheduled_start_time: string | null;
  start_time: string | null;
  end_time: string | null;
  total_run_time: number;
  estimated_run_time: number;
  estimated_start_time_delta: number;
}

/** A row's time fields as the API returns them, in Prefect's key order (spread them where that block stands). */
export function runTimeFields(row: RunTimeFields): RunTimeFields {
  return {
    expected_start_time: trimZeroFraction(row.expected_start_time),
    next_scheduled_start_time: trimZeroFraction(row.next_scheduled_start_time),
    start_time: trimZeroFraction(row.start_time),
    end_time: trimZeroFraction(row.end_time),
    total_run_time: Number(row.total_run_time),
    estimated_run_time: Number(row.estimated_run_time),
    estimated_start_time_delta: Number(row.estimated_start_time_delta),
  };
}

/**
 * Prefect's computed run fields: the run time including a RUNNING state still in progress,
 * and how late the run started (or, if not started and not finished, is so far).
 */
export function estimatedTimesSql(alias: string): string {
  return `(${alias}.total_run_time + CASE WHEN ${alias}.state_type = 'RUNNING' AND ${alias}.state_timestamp IS NOT NULL
      THEN extract(epoch FROM clock_timestamp() - ${alias}.state_timestamp) ELSE 0 END)::float8 AS estimated_run_time,
    (CASE WHEN ${alias}.start_time > ${alias}.expected_start_time
            THEN extract(epoch FROM ${alias}.start_time - ${alias}.expected_start_time)
          WHEN ${alias}.start_time IS NULL AND ${alias}.state_type NOT IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')
               AND ${alias}.expected_start_time < clock_timestamp()
            THEN extract(epoch FROM clock_timestamp() - ${alias}.expected_start_time)
          ELSE 0 END)::float8 AS estimated_start_time_delta`;
}
