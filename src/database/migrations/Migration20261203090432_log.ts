import { Migration } from '@mikro-orm/migrations';

/**
 * Prefect's `log` table, with its indexes (level, run ids, timestamp, a run's lines in time order) and a trigram
 * index for the text search of `POST /logs/filter`.
 */
export class Migration20261203090432_log extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "log" ("id" uuid not null default gen_random_uuid(), "created" timestamptz not null default now(), "updated" timestamptz not null default now(), "name" varchar not null, "level" smallint not null, "flow_run_id" uuid null, "task_run_id" uuid null, "message" text not null, "timestamp" timestamptz not null, constraint "log_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "trgm_ix_log_text" on "log" using gin ((lower("message" || ' ' || "name")) gin_trgm_ops);`,
    );
    this.addSql(`create index "ix_log__flow_run_id_timestamp" on "log" ("flow_run_id", "timestamp");`);
    this.addSql(`create index "ix_log__timestamp" on "log" ("timestamp");`);
    this.addSql(`create index "ix_log__task_run_id" on "log" ("task_run_id");`);
    this.addSql(`create index "ix_log__flow_run_id" on "log" ("flow_run_id");`);
    this.addSql(`create index "ix_log__level" on "log" ("level");`);
    this.addSql(`create index "ix_log__updated" on "log" ("updated");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "log" cascade;`);
  }
}
