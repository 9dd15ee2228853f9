import type { EntityManager } from '@mikro-orm/core';
import { jsonb } from '../../database/sql/sql-repository';
import { runQuery } from '../../database/sql/sql-runner';
import { defaultStateName, StoredState } from './state-transition';

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
