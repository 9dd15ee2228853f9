/**
 * The orchestration rules of Prefect's CoreFlowPolicy that Prefect's own client depends on when it runs flows
 * (prefect/server/orchestration/core_policy.py), applied to a proposed flow-run state that is not forced. Each
 * rule is Prefect's, in Prefect's priority order; the README lists the ones left out. Pure functions: the caller
 * holds the run's row lock and writes what they decide.
 */
import { StateType } from '../../database/state-type';
import { StoredState, stampState } from './state-transition';
import type { LockedRun } from './run-repository';
import type { StateCreate } from './state.dto';
import { toUtcMicros } from './time';

/** What orchestration decided about a proposed state (Prefect's SetStateStatus with its details). */
export type Decision =
  | { status: 'ACCEPT' }
  /** `state` null: nothing is written and the run's current state is answered (Prefect's reject to None). */
  | { status: 'REJECT'; state: StoredState | null; reason: string }
  | { status: 'WAIT'; delay_seconds: number; reason: string }
  | { status: 'ABORT'; reason: string };

export type FlowRunRule = (run: LockedRun, proposed: StoredState) => Decision | undefined;

/**
 * PreventDuplicateTransitions: the client sends a fresh `transition_id` with every proposal and resends the same
 * one when it retries a request whose answer it lost; the repeat is rejected and the current state answered.
 */
const preventDuplicateTransitions: FlowRunRule = (run, proposed) => {
  const current = run.state?.state_details?.transition_id;
  const next = proposed.state_details.transition_id;
  if (run.state && current && next && current === next)
    return { status: 'REJECT', state: null, reason: 'This run has already made this state transition.' };
  return undefined;
};

/** Python's `floor(delay.total_seconds()) + round(delay.microseconds / 1e6)`: seconds, nearest whole. */
function wholeSecondsUntil(iso: string, now: number): number {
  const seconds = (Date.parse(iso) - now) / 1000;
  const whole = Math.floor(seconds);
  return whole + Math.round(seconds - whole);
}

/**
 * WaitForScheduledTime: a run leaving SCHEDULED or PENDING for RUNNING before its scheduled time is told to wait
 * (nothing is written). This is what makes a flow's `retry_delay_seconds` a delay: the retry is scheduled.
 */
const waitForScheduledTime: FlowRunRule = (run, proposed) => {
  if (proposed.type !== StateType.RUNNING) return undefined;
  if (run.state_type !== StateType.SCHEDULED && run.state_type !== StateType.PENDING) return undefined;
  const scheduledTime = run.state?.state_details?.scheduled_time;
  if (typeof scheduledTime !== 'string') return undefined;
  const delay = wholeSecondsUntil(scheduledTime, Date.parse(proposed.timestamp));
  return delay > 0 ? { status: 'WAIT', delay_seconds: delay, reason: 'Scheduled time is in the future' } : undefined;
};

const numberOr = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/**
 * RetryFailedFlows: RUNNING -> FAILED while the run has retries left (`run_count <= empirical_policy.retries`) is
 * rejected; the run is put in AwaitingRetry (SCHEDULED at now + retry_delay) with the failure's message and data,
 * and the engine, seeing a scheduled state, proposes RUNNING again.
 */
const retryFailedFlows: FlowRunRule = (run, proposed) => {
  if (run.state_type !== StateType.RUNNING || proposed.type !== StateType.FAILED) return undefined;
  const retries = run.empirical_policy?.retries;
  if (typeof retries !== 'number' || run.run_count > retries) return undefined;
  const delayMs = numberOr(run.empirical_policy?.retry_delay, 0) * 1000;
  const scheduledTime = toUtcMicros(new Date(Date.parse(proposed.timestamp) + delayMs).toISOString());
  const retry = stampState(
    {
      type: StateType.SCHEDULED,
      name: 'AwaitingRetry',
      message: proposed.message,
      data: proposed.data,
      state_details: { scheduled_time: scheduledTime },
    } as StateCreate,
    {
      flow_run_id: proposed.state_details.flow_run_id as string,
      task_run_id: (proposed.state_details.task_run_id as string | null) ?? undefined,
    },
  );
  return { status: 'REJECT', state: retry, reason: 'Retrying' };
};

/** The rules applied, in Prefect's priority order. */
export const FLOW_RUN_RULES: readonly FlowRunRule[] = [
  preventDuplicateTransitions,
  waitForScheduledTime,
  retryFailedFlows,
];

/**
 * The first rule that does not let the proposal through decides; a rejection to a new state is then proposed to
 * the remaining rules no further (Prefect's rules fizzle once the proposed state type changes).
 */
export function orchestrate(rules: readonly FlowRunRule[], run: LockedRun, proposed: StoredState): Decision {
  for (const rule of rules) {
    const decision = rule(run, proposed);
    if (decision) return decision;
  }
  return { status: 'ACCEPT' };
}
