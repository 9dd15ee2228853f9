import type { EntityManager } from '@mikro-orm/postgresql';
import { applyState, StoredState, stampState } from './state-transition';
import type { RunRepository } from './run-repository';
import { appendRunState } from './state-history';
import type { StateCreate } from './state.dto';

/**
 * Writes a new state on a flow or task run, derives its time columns and appends it to the run's history, under a row lock
 * so concurrent transitions apply one after the other. Undefined when the run is missing.
 */
export async function setRunState(
  em: EntityManager,
  runs: Pick<RunRepository<object>, 'lockRunTimes' | 'writeRunState'>,
  kind: 'flow_run' | 'task_run',
  id: string,
  input: StateCreate,
): Promise<StoredState | undefined> {
  return em.transactional(async () => {
    const prior = await runs.lockRunTimes(id);
    if (!prior) return undefined;
    const state = stampState(
      input,
      kind === 'flow_run' ? { flow_run_id: id } : { flow_run_id: prior.flow_run_id, task_run_id: id },
    );
    await runs.writeRunState(id, state, applyState(prior, state));
    await appendRunState(em, kind, id, state);
    return state;
  });
}
