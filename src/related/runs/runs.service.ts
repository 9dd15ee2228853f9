import { NotFoundException } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RunRepository } from './run-repository';
import { appendRunState, RunKind } from './state-history';
import type { StoredState } from './state-transition';

/** What a create answers: the run, and whether this call inserted it (201) or found it by its key (200). */
export interface CreateRunResult<Run> {
  run: Run;
  created: boolean;
}

/** What a create's insert step did: the new run's id and first state, and whether the insert added the row. */
export interface RunInsert {
  id: string;
  state: StoredState;
  inserted: boolean;
}

/**
 * What the flow-run and task-run services share: read and delete by id (404 when missing) and Prefect's idempotent
 * create. Each subclass keeps Prefect's model function names (create_flow_run, read_task_run, ...) as its API.
 */
export abstract class RunsService<Run> {
  protected abstract readonly em: EntityManager;
  protected abstract readonly runs: Pick<RunRepository<object, Run>, 'findById' | 'deleteById'>;
  protected abstract readonly kind: RunKind;
  /** The 404 body of a read or delete by id (Prefect's words differ per kind). */
  protected abstract readonly notFound: { detail: string };

  protected async readRun(id: string): Promise<Run> {
    const run = await this.runs.findById(id);
    if (!run) throw new NotFoundException(this.notFound);
    return run;
  }

  protected async deleteRun(id: string): Promise<void> {
    if (!(await this.runs.deleteById(id))) throw new NotFoundException(this.notFound);
  }

  /**
   * One transaction: `insert` adds the run unless its idempotency key is taken (INSERT ... ON CONFLICT DO NOTHING);
   * if it did, its first state goes to the history, else `findExisting` gives the id of the run holding the key.
   * The run is read back afterwards.
   */
  protected async createRun(
    insert: () => Promise<RunInsert>,
    findExisting: () => Promise<string | undefined>,
  ): Promise<CreateRunResult<Run>> {
    const { id, created } = await this.em.transactional(async () => {
      const { id, state, inserted } = await insert();
      if (!inserted) return { id: await findExisting(), created: false };
      await appendRunState(this.em, this.kind, id, state);
      return { id, created: true };
    });
    // Only if the conflicting run was deleted between the two statements: try once more.
    if (!id) return this.createRun(insert, findExisting);
    return { run: (await this.runs.findById(id)) as Run, created };
  }
}
