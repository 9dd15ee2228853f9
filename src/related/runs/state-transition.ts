import { randomUUID } from 'node:crypto';
import { StateType, TERMINAL_STATE_TYPES } from '../../database/state-type';
import { trimZeroFraction } from '../../database/sql/timestamps';
import { isoNow, secondsBetween } from './time';
import { State, STATE_DETAILS_DEFAULTS, StateCreate } from './state.dto';

/** The state object as stored in the run's `state` jsonb column (and returned, re-ordered). */
export interface StoredState {
  id: string;
  type: StateType;
  name: string | null;
  timestamp: string;
  message: string | null;
  data: unknown;
  state_details: Record<string, unknown>;
}

/** The run columns a state transition derives (compat S1), timestamps as ISO text. */
export interface RunTimes {
  state_type: StateType | null;
  state_name: string | null;
  state_timestamp: string | null;
  expected_start_time: string | null;
  next_scheduled_start_time: string | null;
  start_time: string | null;
  end_time: string | null;
  run_count: number;
  total_run_time: number;
}

export const NEW_RUN_TIMES: RunTimes = {
  state_type: null,
  state_name: null,
  state_timestamp: null,
  expected_start_time: null,
  next_scheduled_start_time: null,
  start_time: null,
  end_time: null,
  run_count: 0,
  total_run_time: 0,
};

/** "SCHEDULED" -> "Scheduled", "NOT_READY"-style types -> "Not Ready" (Prefect's default state name). */
export function defaultStateName(type: StateType): string {
  return type
    .split('_')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join(' ');
}

/**
 * Stamps a requested state: a new id, the server's "now" (clients cannot send a timestamp),
 * a name from the type when absent, `scheduled_time` = now for a SCHEDULED state without
 * one, and the run ids in `state_details`.
 */
export function stampState(
  input: StateCreate,
  runIds: { flow_run_id?: string | null; task_run_id?: string },
): StoredState {
  const timestamp = isoNow();
  const details: Record<string, unknown> = { ...STATE_DETAILS_DEFAULTS, ...(input.state_details ?? {}) };
  if (input.type === StateType.SCHEDULED && !details.scheduled_time) details.scheduled_time = timestamp;
  if (runIds.flow_run_id !== undefined) details.flow_run_id = runIds.flow_run_id;
  if (runIds.task_run_id !== undefined) details.task_run_id = runIds.task_run_id;
  return {
    id: randomUUID(),
    type: input.type,
    name: input.name ?? defaultStateName(input.type),
    timestamp,
    message: input.message ?? null,
    data: input.data ?? null,
    state_details: details,
  };
}

const isTerminal = (type: StateType | null): boolean => type !== null && TERMINAL_STATE_TYPES.includes(type);

/**
 * The derived run columns after accepting `state` (the one rule set for flow and task runs):
 * - expected_start_time: kept once set; else scheduled_time (SCHEDULED) or the state timestamp;
 * - next_scheduled_start_time: scheduled_time when entering SCHEDULED, NULL when leaving it;
 * - start_time: the timestamp when entering RUNNING, or a terminal state, if still NULL;
 * - end_time: the timestamp when entering a terminal state with none; NULL on leaving one;
 * - run_count: +1 on every RUNNING state (Prefect's IncrementFlowRunCount / IncrementTaskRunCount, RUNNING ->
 *   RUNNING included); total_run_time: + the time spent in a RUNNING state left.
 */
export function applyState(prior: RunTimes, state: StoredState): RunTimes {
  const ts = state.timestamp;
  const scheduledTime = (state.state_details.scheduled_time as string | null) ?? null;
  const entering = state.type;
  const next = { ...prior, state_type: entering, state_name: state.name, state_timestamp: ts };

  next.expected_start_time = prior.expected_start_time ?? (entering === StateType.SCHEDULED ? scheduledTime : ts);

  if (prior.state_type === StateType.SCHEDULED) next.next_scheduled_start_time = null;
  if (entering === StateType.SCHEDULED) next.next_scheduled_start_time = scheduledTime;

  if (entering === StateType.RUNNING) next.start_time = prior.start_time ?? ts;

  if (isTerminal(entering)) {
    if (prior.end_time === null) {
      next.end_time = ts;
      next.start_time = prior.start_time ?? ts;
    }
  } else if (isTerminal(prior.state_type)) {
    next.end_time = null;
  }

  if (entering === StateType.RUNNING) next.run_count = prior.run_count + 1;
  if (prior.state_type === StateType.RUNNING && prior.state_timestamp)
    next.total_run_time = prior.total_run_time + Math.max(0, secondsBetween(prior.state_timestamp, ts));
  return next;
}

/** The stored state in Prefect's key order (jsonb keeps its own order), zero fractions trimmed. */
export function renderState(stored: StoredState | null): State | null {
  if (!stored) return null;
  const details: Record<string, unknown> = {};
  for (const key of Object.keys(STATE_DETAILS_DEFAULTS))
    details[key] = stored.state_details?.[key] ?? STATE_DETAILS_DEFAULTS[key];
  details.scheduled_time = trimZeroFraction(details.scheduled_time as string | null);
  return {
    id: stored.id,
    type: stored.type,
    name: stored.name,
    timestamp: trimZeroFraction(stored.timestamp) as string,
    message: stored.message,
    data: stored.data,
    state_details: details,
  };
}
