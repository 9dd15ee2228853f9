import type { EntityManager } from '@mikro-orm/core';
import { jsonb } from '../../database/sql/sql-repository';
import { runQuery } from '../../database/sql/sql-runner';
import { isoTimestamp } from '../../database/sql/timestamps';
import { defaultStateName, renderState, StoredState } from './state-transition';
import type { State } from './state.dto';

export type RunKind = 'flow_run' | 'task_run';

/**
 * Appends a state to a run's history (flow_run_state / task_run_state), in the caller's transaction when one is
 * open. The state's id is the row's id, so writing one state twice (a redelivered event) adds nothing; neither
 * does a second state of the same run at the same instant (Prefect's unique key). True when a row was added.
 */
export async function appendRunState(
  em: EntityManager,
  kind: RunKind,
  runId: string,
  state: StoredState,
): Promise<boolean> {
  const rows = await runQuery<{ id: string }>(
    em,
    `INSERT INTO ${kind}_state (id, ${kind}_id, type, timestamp, name, message, state_details, data)
     VALUES (?, ?, ?::state_type, ?::timestamptz, ?, ?, ?::jsonb, ?::jsonb)
     ON CONFLICT DO NOTHING RETURNING id`,
    [
      state.id,
      runId,
      state.type,
      state.timestamp,
      state.name ?? defaultStateName(state.type),
      state.message,
      jsonb(state.state_details ?? {}),
      jsonb(state.data),
    ],
    { prepare: true },
  );
  return rows.length > 0;
}

const SELECT_STATE = (kind: RunKind) =>
  `SELECT id, type, name, ${isoTimestamp('"timestamp"', 'timestamp')}, message, data, state_details FROM ${kind}_state`;

/** A run's states, oldest first (an unknown run has none). */
export async function readRunStates(em: EntityManager, kind: RunKind, runId: string): Promise<State[]> {
  const rows = await runQuery<StoredState>(em, `${SELECT_STATE(kind)} WHERE ${kind}_id = ? ORDER BY timestamp, id`, [
    runId,
  ]);
  return rows.map((row) => renderState(row) as State);
}

/** One state by its id. */
export async function readRunState(em: EntityManager, kind: RunKind, id: string): Promise<State | undefined> {
  const [row] = await runQuery<StoredState>(em, `${SELECT_STATE(kind)} WHERE id = ?`, [id], { prepare: true });
  return row ? (renderState(row) as State) : undefined;
}
