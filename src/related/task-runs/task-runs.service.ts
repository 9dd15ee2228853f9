import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@mikro-orm/nestjs';
import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { KeyValueLabels, mergeLabels } from '../labels';
import { runName } from '../runs/slugs';
import { withPolicyDefaults } from '../runs/run-policy';
import { RunPage } from '../runs/run-repository';
import { CreateRunResult, RunsService } from '../runs/runs.service';
import { RunStateOutcome, setRunState } from '../runs/set-run-state';
import { StateCreate } from '../runs/state.dto';
import { applyState, NEW_RUN_TIMES, stampState } from '../runs/state-transition';
import { toUtcMicros } from '../runs/time';
import { StateType } from '../../database/state-type';
import { TaskRun } from './dto/task-run.dto';
import { TaskRunCreate } from './dto/task-run-create.dto';
import { TaskRunEntity } from './task-run.entity';
import { TASK_RUN_POLICY_DEFAULTS, TaskRunRepository } from './task-runs.repository';
import { TaskRunSort } from './dto/task-runs-query.dto';
import type { TaskRunQueryFilters } from '../query-bodies';

export const TASK_RUN_NOT_FOUND = { detail: 'Task not found' };

/** The task run model functions (Prefect's `models.task_runs`). */
@Injectable()
export class TaskRunsService extends RunsService<TaskRun> {
  protected readonly kind = 'task_run';
  protected readonly notFound = TASK_RUN_NOT_FOUND;

  constructor(
    protected readonly em: EntityManager,
    @InjectRepository(TaskRunEntity) protected readonly runs: TaskRunRepository,
  ) {
    super();
  }

  /** Idempotent on (flow_run_id, task_key, dynamic_key): an existing run comes back with created = false. */
  async create_task_run(body: TaskRunCreate): Promise<CreateRunResult<TaskRun>> {
    const flowRunId = body.flow_run_id ?? null;
    return this.createRun(
      async () => {
        const id = body.id ?? randomUUID();
        const state = stampState(body.state ?? ({ type: StateType.PENDING } as StateCreate), {
          flow_run_id: flowRunId,
          task_run_id: id,
        });
        const inserted = await this.runs.insertIfAbsent(
          {
            id,
            name: runName(body.name),
            flow_run_id: flowRunId,
            task_key: body.task_key,
            dynamic_key: body.dynamic_key,
            cache_key: body.cache_key ?? null,
            cache_expiration: body.cache_expiration ? toUtcMicros(body.cache_expiration) : null,
            task_version: body.task_version ?? null,
            empirical_policy: withPolicyDefaults(TASK_RUN_POLICY_DEFAULTS, body.empirical_policy),
            tags: body.tags ?? [],
            labels: await this.inheritedLabels(flowRunId, body.labels),
            task_inputs: body.task_inputs ?? {},
          },
          state,
          applyState(NEW_RUN_TIMES, state),
        );
        return { id, state, inserted };
      },
      () => this.runs.findIdByKeys(flowRunId, body.task_key, body.dynamic_key),
    );
  }

  async read_task_run(id: string): Promise<TaskRun> {
    return this.readRun(id);
  }

  /** Task runs matching the filters, sorted, one page (Prefect's `read_task_runs`). */
  async read_task_runs(filters: TaskRunQueryFilters, page: RunPage<TaskRunSort>): Promise<TaskRun[]> {
    return this.runs.findMatching(filters, page);
  }

  async count_task_runs(filters: TaskRunQueryFilters): Promise<number> {
    return this.runs.countMatching(filters);
  }

  async delete_task_run(id: string): Promise<void> {
    return this.deleteRun(id);
  }

  /**
   * Always accepts (force semantics): Prefect 3 clients orchestrate task runs themselves and report them as
   * events, so no task-run rule is applied here. The derived time columns follow the new state.
   */
  async set_task_run_state(id: string, state: StateCreate): Promise<RunStateOutcome> {
    const outcome = await setRunState(this.em, this.runs, 'task_run', id, state);
    if (!outcome) throw new NotFoundException({ exception_message: `Task run with id ${id} not found` });
    return outcome;
  }

  /** As Prefect does for task runs: the flow run's labels, then `prefect.flow-run.id`, then the request's labels. */
  private async inheritedLabels(
    flowRunId: string | null,
    labels: KeyValueLabels | null | undefined,
  ): Promise<KeyValueLabels> {
    if (!flowRunId) return mergeLabels(labels);
    return mergeLabels(await this.runs.flowRunLabels(flowRunId), { 'prefect.flow-run.id': flowRunId }, labels);
  }
}
