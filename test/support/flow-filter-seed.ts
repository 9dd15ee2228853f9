import type { Client } from 'pg';

type Row = Record<string, unknown>;

/** Inserts one row with direct SQL and returns its id (objects and arrays go in as JSON). */
export async function insertRow(sql: Client, table: string, values: Row): Promise<string> {
  const columns = Object.keys(values);
  const params = columns.map((c) => {
    const v = values[c];
    return v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
  });
  const placeholders = columns.map((_, i) => `$${i + 1}`);
  const { rows } = await sql.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING id`,
    params,
  );
  return rows[0].id as string;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

/** Seeders for the tables flow filters read; every required column gets a default. */
export function seeder(sql: Client) {
  return {
    flow: (name: string, extra: Row = {}) => insertRow(sql, 'flow', { name, labels: {}, ...extra }),
    workPool: (name: string, type = 'process') => insertRow(sql, 'work_pool', { name, type }),
    workQueue: (workPoolId: string, name = unique('queue'), priority = counter) =>
      insertRow(sql, 'work_queue', { name, work_pool_id: workPoolId, priority }),
    deployment: (flowId: string, extra: Row = {}) =>
      insertRow(sql, 'deployment', { name: unique('deployment'), flow_id: flowId, ...extra }),
    flowRun: (flowId: string, extra: Row = {}) =>
      insertRow(sql, 'flow_run', { name: unique('flow-run'), flow_id: flowId, ...extra }),
    taskRun: (flowRunId: string | null, extra: Row = {}) =>
      insertRow(sql, 'task_run', {
        name: unique('task-run'),
        flow_run_id: flowRunId,
        task_key: unique('task'),
        dynamic_key: '0',
        ...extra,
      }),
  };
}
