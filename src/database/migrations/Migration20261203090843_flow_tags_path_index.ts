import { Migration } from '@mikro-orm/migrations';

/**
 * A GIN index for `tags @> '[...]'::jsonb` (a flow filter's tags all_). Without it a rare tag set walks the name
 * index through most of the table; with it the planner finds the few matching flows directly. jsonb_path_ops
 * indexes hashes of the values only, so it is smaller than the default opclass and supports just @> (not ?&/?|).
 */
export class Migration20261203090843_flow_tags_path_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "ix_flow__tags_path" on "flow" using gin ("tags" jsonb_path_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "ix_flow__tags_path";`);
  }
}
