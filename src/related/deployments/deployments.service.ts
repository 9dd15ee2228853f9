import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@mikro-orm/nestjs';
import { EntityManager } from '@mikro-orm/postgresql';
import { mergeLabels } from '../labels';
import { FlowsService } from '../../flows/flows.service';
import { WorkPoolsService } from '../work-pools/work-pools.service';
import { DeploymentEntity } from './deployment.entity';
import { DeploymentColumn, DEPLOYMENT_COLUMNS, DeploymentPage, DeploymentRepository } from './deployments.repository';
import { textError } from '../../prefect-compat/validation/coerce';
import type { RunQueryFilters } from '../query-bodies';
import { DeploymentCreate } from './dto/deployment-create.dto';
import { DeploymentResponse } from './dto/deployment-response.dto';

export const DEPLOYMENT_NOT_FOUND = { detail: 'Deployment not found' };

export interface CreateDeploymentResult {
  deployment: DeploymentResponse;
  created: boolean;
}

/** Prefect's block-document check (this service stores no blocks, so any id is unknown). */
const missingBlock = (kind: string, id: string) =>
  new ConflictException({
    detail: `Error creating deployment. Could not find ${kind} block with id: ${id}. This usually occurs when applying a deployment specification that was built against a different Prefect database / workspace.`,
  });

/** Prefect's block checks, after the work pool and queue are resolved (infrastructure first, then storage). */
function checkBlocks(body: DeploymentCreate): void {
  if (body.infrastructure_document_id) throw missingBlock('infrastructure', body.infrastructure_document_id);
  if (body.storage_document_id) throw missingBlock('storage', body.storage_document_id);
}

/** The deployment model functions (Prefect's `models.deployments`). */
@Injectable()
export class DeploymentsService {
  constructor(
    private readonly em: EntityManager,
    @InjectRepository(DeploymentEntity) private readonly deployments: DeploymentRepository,
    private readonly flows: FlowsService,
    private readonly workPools: WorkPoolsService,
  ) {}

  /**
   * Upsert on (flow_id, name). The work queue is resolved from the pool and/or queue name;
   * the `work_queue_name` column keeps the request value as sent. Labels: the flow's, then
   * `prefect.flow.id`, then the request's. An unknown flow_id fails the insert (409).
   */
  async create_deployment(body: DeploymentCreate): Promise<CreateDeploymentResult> {
    const { id, inserted } = await this.em.transactional(async () => {
      const values: Partial<Record<DeploymentColumn, unknown>> = {};
      for (const column of Object.keys(DEPLOYMENT_COLUMNS) as DeploymentColumn[])
        if ((body as unknown as Record<string, unknown>)[column] !== undefined)
          values[column] = (body as unknown as Record<string, unknown>)[column];
      const queueId = await this.resolveWorkQueueId(body);
      if (queueId) values.work_queue_id = queueId;
      // Throwing here rolls back a queue the resolution created, as Prefect's session does.
      checkBlocks(body);
      values.labels = mergeLabels(
        await this.flows.read_flow_labels(body.flow_id),
        { 'prefect.flow.id': body.flow_id },
        body.labels,
      );
      return this.deployments.upsertByFlowAndName(values);
    });
    return { deployment: (await this.deployments.findById(id)) as DeploymentResponse, created: inserted };
  }

  async read_deployment(id: string): Promise<DeploymentResponse> {
    const deployment = await this.deployments.findById(id);
    if (!deployment) throw new NotFoundException(DEPLOYMENT_NOT_FOUND);
    return deployment;
  }

  async read_deployment_by_name(flowName: string, name: string): Promise<DeploymentResponse> {
    // A name PostgreSQL cannot hold (NUL, lone surrogate) names nothing; as a parameter it would be a 503.
    const deployment =
      textError(flowName) || textError(name) ? undefined : await this.deployments.findByName(flowName, name);
    if (!deployment) throw new NotFoundException(DEPLOYMENT_NOT_FOUND);
    return deployment;
  }

  /** Deployments matching the filters, sorted, one page (Prefect's `read_deployments`). */
  async read_deployments(filters: RunQueryFilters, page: DeploymentPage): Promise<DeploymentResponse[]> {
    return this.deployments.findMatching(filters, page);
  }

  async count_deployments(filters: RunQueryFilters): Promise<number> {
    return this.deployments.countMatching(filters);
  }

  async delete_deployment(id: string): Promise<void> {
    const deleted = await this.em.transactional(() => this.deployments.deleteById(id));
    if (!deleted) throw new NotFoundException(DEPLOYMENT_NOT_FOUND);
  }

  private async resolveWorkQueueId(body: DeploymentCreate): Promise<string | undefined> {
    if (body.work_pool_name)
      return (await this.workPools.resolveQueue(body.work_pool_name, body.work_queue_name, true)).id;
    if (body.work_queue_name) return (await this.workPools.ensureQueueInDefaultAgentPool(body.work_queue_name)).id;
    return undefined;
  }
}
