import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@mikro-orm/nestjs';
import { classifyDatabaseError } from '../database/database-errors';
import { ValueTooLargeError } from '../database/domain-errors';
import { canStoreText } from '../database/storable-text';
import { FlowCreate, Labels } from './dto/flow-create.dto';
import { FlowUpdate } from './dto/flow-update.dto';
import { Flow } from './dto/flow.dto';
import type { SimpleNextFlowRun } from './dto/ui-flows.dto';
import { FlowEntity } from './flow.entity';
import { FlowPage, FlowRepository } from './flows.repository';
import { FlowFilter } from '../query-filters/schemas/flow-filter.dto';
import { FlowSort } from './dto/flow-sort';
import { FlowPaginationResponse, FlowQueryFilters } from './dto/flows-query.dto';

export const FLOW_NOT_FOUND = { detail: 'Flow not found' };

export interface CreateFlowResult {
  flow: Flow;
  /** True only for the call whose INSERT added the row. */
  created: boolean;
}

/**
 * The flow model functions, named as in Prefect's `prefect.server.models.flows` so the two
 * can be read side by side. Each write is one atomic statement on the request's unit of
 * work (its EntityManager fork); multi-statement writes run in `em.transactional()`.
 */
@Injectable()
export class FlowsService {
  constructor(@InjectRepository(FlowEntity) private readonly flows: FlowRepository) {}

  /** Get-or-create by name: 201 semantics only for the inserting call; an existing row comes back unchanged. */
  async create_flow(body: FlowCreate): Promise<CreateFlowResult> {
    const labels: Labels | null = body.labels === undefined ? {} : body.labels;
    let result: CreateFlowResult | undefined;
    try {
      result = await this.flows.getOrCreate(body.name, body.tags ?? [], labels);
    } catch (err) {
      if (classifyDatabaseError(err)?.kind === 'too_large') throw new ValueTooLargeError('name', body.name, body);
      throw err;
    }
    // No row only when a concurrent create committed the name after our statement began: look again.
    return result ?? this.create_flow(body);
  }

  async update_flow(id: string, body: FlowUpdate): Promise<void> {
    if (!(await this.flows.updateTags(id, body.tags))) throw new NotFoundException(FLOW_NOT_FOUND);
  }

  async read_flow(id: string): Promise<Flow> {
    const flow = await this.flows.findById(id);
    if (!flow) throw new NotFoundException(FLOW_NOT_FOUND);
    return flow;
  }

  async read_flow_by_name(name: string): Promise<Flow> {
    // A name PostgreSQL cannot store (NUL, lone surrogate) cannot exist; sent as a parameter it would be a
    // protocol error (08P01), i.e. a 503, instead of the 404 it is.
    const flow = canStoreText(name) ? await this.flows.findByName(name) : undefined;
    if (!flow) throw new NotFoundException(FLOW_NOT_FOUND);
    return flow;
  }

  /** The flow's labels, or null when it has none or does not exist (as in Prefect). */
  async read_flow_labels(id: string): Promise<Labels | null> {
    return this.flows.findLabels(id);
  }

  async delete_flow(id: string): Promise<void> {
    if (!(await this.flows.deleteById(id))) throw new NotFoundException(FLOW_NOT_FOUND);
  }

  /** Flows matching the filters, sorted, one page (compat A5). */
  async read_flows(filters: FlowQueryFilters, page: FlowPage): Promise<Flow[]> {
    return this.flows.findMatching(filters, page);
  }

  /** One page plus the totals: pages = ceil(count / limit), 0 when limit is 0 (compat A7). */
  async paginate_flows(
    filters: FlowQueryFilters,
    { sort, limit, page }: { sort: FlowSort; limit: number; page: number },
  ): Promise<FlowPaginationResponse> {
    const results = await this.flows.findMatching(filters, { sort, limit, offset: (page - 1) * limit });
    const count = await this.flows.countMatching(filters);
    const pages = limit === 0 ? 0 : Math.ceil(count / limit);
    return { results, count, limit, pages, page };
  }

  /** Number of flows matching the filters (compat A6). */
  async count_flows(filters: FlowQueryFilters): Promise<number> {
    return this.flows.countMatching(filters);
  }

  /** Deletes the given flows and their deployments in one transaction; returns the ids deleted. */
  async delete_flows(ids: readonly string[]): Promise<string[]> {
    return this.flows.deleteMany(ids);
  }

  /**
   * Selects up to `limit` flows by name and deletes them with their deployments (compat A8):
   * selection and deletion are one statement, so one transaction and one round trip.
   */
  async bulk_delete_flows(flows: FlowFilter | null | undefined, limit: number): Promise<string[]> {
    return this.flows.deleteMatching({ flows }, limit);
  }

  /** UI helper: `{flow id: number of deployments}` for every requested id. */
  async count_deployments_by_flow(ids: readonly string[]): Promise<Record<string, number>> {
    const counts = new Map((await this.flows.countDeployments(ids)).map((r) => [r.id, r.n]));
    return Object.fromEntries(ids.map((id) => [id, counts.get(id) ?? 0]));
  }

  /** UI helper: `{flow id: its next scheduled run, or null}` for every requested id. */
  async next_runs_by_flow(ids: readonly string[]): Promise<Record<string, SimpleNextFlowRun | null>> {
    const runs = new Map((await this.flows.nextScheduledRuns(ids)).map((r) => [r.flow_id, r]));
    return Object.fromEntries(ids.map((id) => [id, runs.get(id) ?? null]));
  }
}
