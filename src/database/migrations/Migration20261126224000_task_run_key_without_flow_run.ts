import { Migration } from '@mikro-orm/migrations';

/**
 * Task runs without a flow run are idempotent on (task_key, dynamic_key) too, as in Prefect: the
 * three-column unique key treats NULL flow_run_ids as distinct, so they need their own partial index.
 */
export class Migration20261126224000_task_run_key_without_flow_run extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create unique index "uq_task_run__task_key_dynamic_key__no_flow_run" on "task_run" ("task_key", "dynamic_key") where "flow_run_id" is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "uq_task_run__task_key_dynamic_key__no_flow_run";`);
  }
}
