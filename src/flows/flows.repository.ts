import { isoTimestamp, trimZeroFraction } from '../database/sql';
import { SqlRepository } from '../database/sql-repository';
import type { Flow } from './dto/flow.dto';
import type { Labels } from './dto/flow-create.dto';
import type { FlowEntity } from './flow.entity';

/** The flow columns in response order (contract C8), timestamps already in Prefect's format. */
export const FLOW_COLUMNS = [
  'flow.id',
  isoTimestamp('flow.created'),
  isoTimestamp('flow.updated'),
  'flow.name',
  'flow.tags',
  'flow.labels',
].join(', ');

interface FlowRow extends Record<string, unknown> {
  id: string;
  created: string;
  updated: string;
  name: string;
  tags: string[];
  labels: Labels | null;
}

export function toFlow(row: FlowRow): Flow {
  return {
    id: row.id,
    created: trimZeroFraction(row.created) as string,
    updated: trimZeroFraction(row.updated) as string,
    name: row.name,
    tags: row.tags,
    labels: row.labels,
  };
}

/**
 * Queries on `flow`. Reads return plain response rows straight from SQL (no entity
 * hydration: the response is JSON anyway); all statements run on the request's
 * EntityManager fork, inside its transaction when there is one.
 */
export class FlowRepository extends SqlRepository<FlowEntity> {
  /** INSERT ... ON CONFLICT (name) DO NOTHING RETURNING: a row back means this call created it. */
  async insertIfAbsent(name: string, tags: string[], labels: Labels | null): Promise<Flow | undefined> {
    const [row] = await this.rows<FlowRow>(
      `INSERT INTO flow (name, tags, labels) VALUES (?, ?::jsonb, ?::jsonb)
       ON CONFLICT (name) DO NOTHING RETURNING ${FLOW_COLUMNS}`,
      [name, JSON.stringify(tags), labels === null ? null : JSON.stringify(labels)],
      { prepare: true },
    );
    return row && toFlow(row);
  }

  async findById(id: string): Promise<Flow | undefined> {
    const [row] = await this.rows<FlowRow>(`SELECT ${FLOW_COLUMNS} FROM flow WHERE flow.id = ?`, [id], { prepare: true });
    return row && toFlow(row);
  }

  async findByName(name: string): Promise<Flow | undefined> {
    const [row] = await this.rows<FlowRow>(`SELECT ${FLOW_COLUMNS} FROM flow WHERE flow.name = ?`, [name], { prepare: true });
    return row && toFlow(row);
  }

  async findLabels(id: string): Promise<Labels | null> {
    const [row] = await this.rows<FlowRow>(`SELECT flow.labels FROM flow WHERE flow.id = ?`, [id]);
    return row?.labels ?? null;
  }

  /** Applies the present fields and bumps `updated`; false when the flow does not exist. */
  async updateTags(id: string, tags: string[] | undefined): Promise<boolean> {
    const set = tags === undefined ? '' : 'tags = ?::jsonb, ';
    const params = tags === undefined ? [id] : [JSON.stringify(tags), id];
    const rows = await this.rows<FlowRow>(`UPDATE flow SET ${set}updated = now() WHERE id = ? RETURNING flow.id`, params);
    return rows.length > 0;
  }

  /** Deletes one flow (deployments and runs go by cascade); false when it did not exist. */
  async deleteById(id: string): Promise<boolean> {
    const rows = await this.rows<FlowRow>(`DELETE FROM flow WHERE id = ? RETURNING flow.id`, [id]);
    return rows.length > 0;
  }
}
