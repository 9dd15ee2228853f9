import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@mikro-orm/nestjs';
import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { mergeLabels } from '../labels';
import { runName } from '../runs/slugs';
import { proposeRunState, RunStateOutcome, setRunState } from '../runs/set-run-state';
import { FLOW_RUN_RULES } from '../runs/orchestration';
import { TaskRunEntity } from '../task-runs/task-run.entity';
import { TaskRunRepository } from '../task-runs/task-runs.repository';
import { StateCreate } from '../runs/state.dto';
import { applyState, NEW_RUN_TIMES, stampState } from '../runs/state-transition';
import { withPolicyDefaults } from '../runs/run-policy';
import { RunPage } from '../runs/run-repository';
import { CreateRunResult, RunsService } from '../runs/runs.service';
import { StateType } from '../../database/state-type';
import { DeploymentEntity } from '../deployments/deployment.entity';
import { DeploymentRepository } from '../deployments/deployments.repository';
import { FlowsService } from '../../flows/flows.service';
import { WorkPoolsService } from '../work-pools/work-pools.service';
import { CreatedBy, FlowRunResponse } from './dto/flow-run-response.dto';
import { FlowRunCreate } from './dto/flow-run-create.dto';
import { FlowRunEntity } from './flow-run.entity';
import { FLOW_RUN_POLICY_DEFAULTS, FlowRunRepository } from './flow-runs.repository';
import { FlowRunSort } from './dto/flow-runs-query.dto';
import type { RunQueryFilters } from '../query-bodies';

export const FLOW_RUN_NOT_FOUND = { detail: 'Flow run not found' };

/** The flow run model functions (Prefect's `models.flow_runs`). */
@Injectable()
export class FlowRunsService extends RunsService<FlowRunResponse> {
  protected readonly kind = 'flow_run';
  protected readonly notFound = FLOW_RUN_NOT_FOUND;

  constructor(
    protected readonly em: EntityManager,
    @InjectRepository(FlowRunEntity) protected readonly runs: FlowRunRepository,
    @InjectRepository(DeploymentEntity) private readonly deployments: DeploymentRepository,
    @InjectRepository(TaskRunEntity) private readonly taskRuns: TaskRunRepository,
    private readonly flows: FlowsService,
    private readonly workPools: WorkPoolsService,
  ) {
    super();
  }

  /**
   * Creates a run in its initial state (PENDING when none is given, applied as forced), or
   * returns the run that already has this (flow_id, idempotency_key) with created = false.
   */
  async create_flow_run(body: FlowRunCreate, createdBy: CreatedBy | null): Promise<CreateRunResult<FlowRunResponse>> {
    return this.createRun(
      async () => {
        const workQueueId = body.work_pool_name
          ? (await this.workPools.resolveQueue(body.work_pool_name, body.work_queue_name, false)).id
          : null;
        const id = randomUUID();
        const state = stampState(body.state ?? ({ type: StateType.PENDING } as StateCreate), { flow_run_id: id });
        const inserted = await this.runs.insertIfAbsent(
          {
            id,
            flow_id: body.flow_id,
            name: runName(body.name),
            flow_version: body.flow_version ?? null,
            parameters: body.parameters ?? {},
            context: body.context ?? {},
            parent_task_run_id: body.parent_task_run_id ?? null,
            infrastructure_document_id: body.infrastructure_document_id ?? null,
            empirical_policy: withPolicyDefaults(FLOW_RUN_POLICY_DEFAULTS, body.empirical_policy),
            tags: body.tags ?? [],
            labels: await this.inheritedLabels(body),
            idempotency_key: body.idempotency_key ?? null,
            work_queue_name: body.work_queue_name ?? null,
            work_queue_id: workQueueId,
            job_variables: body.job_variables ?? {},
            deployment_id: body.deployment_id ?? null,
            created_by: createdBy,
          },
          state,
          applyState(NEW_RUN_TIMES, state),
        );
        return { id, state, inserted };
      },
      () => this.runs.findIdByIdempotencyKey(body.flow_id, body.idempotency_key as string),
    );
  }

  async read_flow_run(id: string): Promise<FlowRunResponse> {
    return this.readRun(id);
  }

  /** Flow runs matching the filters, sorted, one page (Prefect's `read_flow_runs`). */
  async read_flow_runs(filters: RunQueryFilters, page: RunPage<FlowRunSort>): Promise<FlowRunResponse[]> {
    return this.runs.findMatching(filters, page);
  }

  async count_flow_runs(filters: RunQueryFilters): Promise<number> {
    return this.runs.countMatching(filters);
  }

  async delete_flow_run(id: string): Promise<void> {
    return this.deleteRun(id);
  }

  /**
   * Proposes a state: unless forced, the orchestration rules the Prefect client depends on decide (retries,
   * scheduled-time waits, duplicate proposals; runs/orchestration.ts). Whatever is written on a subflow run is
   * also written, forced, on its parent task run, with `child_flow_run_id` (Prefect's UpdateSubflowParentTask).
   */
  async set_flow_run_state(id: string, state: StateCreate, force: boolean): Promise<RunStateOutcome> {
    const outcome = await setRunState(this.em, this.runs, 'flow_run', id, state, {
      rules: force ? undefined : FLOW_RUN_RULES,
      afterWrite: async (run, written) => {
        if (!run.parent_task_run_id) return;
        await proposeRunState(this.em, this.taskRuns, 'task_run', run.parent_task_run_id, {
          type: written.type,
          name: written.name,
          message: written.message,
          data: written.data,
          state_details: { ...written.state_details, child_flow_run_id: id },
        });
      },
    });
    if (!outcome) throw new NotFoundException({ exception_message: `Flow run with id ${id} not found` });
    return outcome;
  }

  /**
   * Contract section 10: the deployment's labels when `deployment_id` names an existing
   * deployment (plus `prefect.deployment.id`), else the flow's; then `prefect.flow.id`;
   * then the request's labels.
   */
  private async inheritedLabels(body: FlowRunCreate) {
    const system: Record<string, string> = { 'prefect.flow.id': body.flow_id };
    const deploymentLabels = body.deployment_id ? await this.deployments.findLabels(body.deployment_id) : undefined;
    if (deploymentLabels !== undefined) {
      system['prefect.deployment.id'] = body.deployment_id as string;
      return mergeLabels(deploymentLabels, system, body.labels);
    }
    return mergeLabels(await this.flows.read_flow_labels(body.flow_id), system, body.labels);
  }
}
