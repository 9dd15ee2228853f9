import type { EntityManager } from '@mikro-orm/postgresql';
import { applyState, renderState, StoredState, stampState } from './state-transition';
import type { LockedRun, RunRepository } from './run-repository';
import { appendRunState } from './state-history';
import { Decision, FlowRunRule, orchestrate } from './orchestration';
import type { OrchestrationResult, StateCreate } from './state.dto';

type Runs = Pick<RunRepository<object>, 'lockRunTimes' | 'writeRunState'>;

export interface SetRunStateOptions {
  /** The orchestration rules to apply (none: every proposal is accepted, as with `force`). */
  rules?: readonly FlowRunRule[];
  /** Runs in the same transaction after a state was written (Prefect's after-transition transforms). */
  afterWrite?: (run: LockedRun, state: StoredState) => Promise<void>;
}

export interface RunStateOutcome {
  result: OrchestrationResult;
  /** True when a new state was written (the route answers 201), false when the current one is answered (200). */
  written: boolean;
}

function details(decision: Decision): OrchestrationResult['details'] {
  switch (decision.status) {
    case 'ACCEPT':
      return { type: 'accept_details' };
    case 'REJECT':
      return { type: 'reject_details', reason: decision.reason };
    case 'WAIT':
      return { type: 'wait_details', delay_seconds: decision.delay_seconds, reason: decision.reason };
    case 'ABORT':
      return { type: 'abort_details', reason: decision.reason };
  }
}

/**
 * Proposes a state for a flow or task run inside the caller's transaction: locks the run, lets the rules decide,
 * and writes the accepted state (or the state a rule rejected it to) with its derived columns and history row.
 * Undefined when the run is missing.
 */
export async function proposeRunState(
  em: EntityManager,
  runs: Runs,
  kind: 'flow_run' | 'task_run',
  id: string,
  input: StateCreate,
  options: SetRunStateOptions = {},
): Promise<RunStateOutcome | undefined> {
  const prior = await runs.lockRunTimes(id);
  if (!prior) return undefined;
  // A subflow run's states name its parent task run (Prefect's UpdateSubflowStateDetails).
  const proposed = stampState(
    input,
    kind === 'flow_run'
      ? { flow_run_id: id, task_run_id: prior.parent_task_run_id ?? undefined }
      : { flow_run_id: prior.flow_run_id, task_run_id: id },
  );
  const decision = options.rules ? orchestrate(options.rules, prior, proposed) : ({ status: 'ACCEPT' } as const);
  const state = decision.status === 'ACCEPT' ? proposed : decision.status === 'REJECT' ? decision.state : null;
  if (!state)
    return {
      result: { state: renderState(prior.state), status: decision.status, details: details(decision) },
      written: false,
    };
  await runs.writeRunState(id, state, applyState(prior, state));
  await appendRunState(em, kind, id, state);
  await options.afterWrite?.(prior, state);
  return { result: { state: renderState(state), status: decision.status, details: details(decision) }, written: true };
}

/** proposeRunState in its own transaction, so concurrent transitions of one run apply one after the other. */
export async function setRunState(
  em: EntityManager,
  runs: Runs,
  kind: 'flow_run' | 'task_run',
  id: string,
  input: StateCreate,
  options: SetRunStateOptions = {},
): Promise<RunStateOutcome | undefined> {
  return em.transactional(() => proposeRunState(em, runs, kind, id, input, options));
}
