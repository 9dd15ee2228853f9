import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126211258 } from './Migration20261126211258';
import { Migration20261126224000_task_run_key_without_flow_run } from './Migration20261126224000_task_run_key_without_flow_run';
import { Migration20261126233000_flow_count } from './Migration20261126233000_flow_count';
import { Migration20261203083720_state_history } from './Migration20261203083720_state_history';
import { Migration20261203090432_log } from './Migration20261203090432_log';
import { Migration20261203090843_flow_tags_path_index } from './Migration20261203090843_flow_tags_path_index';
import { Migration20261203140000_flow_name_lower } from './Migration20261203140000_flow_name_lower';

/**
 * Every migration, in order. Listed explicitly so that the same list works from
 * TypeScript (tests, ts-node) and from the compiled dist/ build. `npm run migration:create`
 * writes a new file here; add it to this list.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261126211258', class: Migration20261126211258 },
  {
    name: 'Migration20261126224000_task_run_key_without_flow_run',
    class: Migration20261126224000_task_run_key_without_flow_run,
  },
  { name: 'Migration20261126233000_flow_count', class: Migration20261126233000_flow_count },
  { name: 'Migration20261203083720_state_history', class: Migration20261203083720_state_history },
  { name: 'Migration20261203090432_log', class: Migration20261203090432_log },
  { name: 'Migration20261203090843_flow_tags_path_index', class: Migration20261203090843_flow_tags_path_index },
  { name: 'Migration20261203140000_flow_name_lower', class: Migration20261203140000_flow_name_lower },
];
