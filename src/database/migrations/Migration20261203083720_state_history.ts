import { Migration } from '@mikro-orm/migrations';

/**
 * Prefect's state history tables: every state a flow or task run entered, one row each (the run's `state` column
 * keeps the current one, with the same id). Runs that exist already get their current state as their first row.
 */
export class Migration20261203083720_state_history extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "task_run_state" ("id" uuid not null default gen_random_uuid(), "created" timestamptz not null default now(), "updated" timestamptz not null default now(), "type" "state_type" not null, "timestamp" timestamptz not null default now(), "name" varchar not null, "message" varchar null, "state_details" jsonb not null default '{}', "data" jsonb null, "task_run_id" uuid not null, constraint "task_run_state_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create unique index "uq_task_run_state__task_run_id_timestamp_desc" on "task_run_state" ("task_run_id", "timestamp" desc);`,
    );
    this.addSql(`create index "ix_task_run_state__updated" on "task_run_state" ("updated");`);
    this.addSql(`create index "ix_task_run_state__name" on "task_run_state" ("name");`);
    this.addSql(`create index "ix_task_run_state__type" on "task_run_state" ("type");`);

    this.addSql(
      `create table "flow_run_state" ("id" uuid not null default gen_random_uuid(), "created" timestamptz not null default now(), "updated" timestamptz not null default now(), "type" "state_type" not null, "timestamp" timestamptz not null default now(), "name" varchar not null, "message" varchar null, "state_details" jsonb not null default '{}', "data" jsonb null, "flow_run_id" uuid not null, constraint "flow_run_state_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create unique index "uq_flow_run_state__flow_run_id_timestamp_desc" on "flow_run_state" ("flow_run_id", "timestamp" desc);`,
    );
    this.addSql(`create index "ix_flow_run_state__updated" on "flow_run_state" ("updated");`);
    this.addSql(`create index "ix_flow_run_state__name" on "flow_run_state" ("name");`);
    this.addSql(`create index "ix_flow_run_state__type" on "flow_run_state" ("type");`);

    this.addSql(
      `alter table "task_run_state" add constraint "fk_task_run_state__task_run_id__task_run" foreign key ("task_run_id") references "task_run" ("id") on update no action on delete cascade;`,
    );

    this.addSql(
      `alter table "flow_run_state" add constraint "fk_flow_run_state__flow_run_id__flow_run" foreign key ("flow_run_id") references "flow_run" ("id") on update no action on delete cascade;`,
    );
    for (const kind of ['flow_run', 'task_run']) {
      this.addSql(
        `insert into "${kind}_state" ("id", "${kind}_id", "type", "timestamp", "name", "message", "state_details", "data")
         select (r."state"->>'id')::uuid, r."id", r."state_type", r."state_timestamp",
                coalesce(r."state_name", initcap(replace(r."state_type"::text, '_', ' '))), r."state"->>'message',
                coalesce(r."state"->'state_details', '{}'::jsonb), r."state"->'data'
           from "${kind}" r
          where r."state"->>'id' is not null and r."state_type" is not null and r."state_timestamp" is not null
         on conflict do nothing;`,
      );
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "task_run_state" cascade;`);

    this.addSql(`drop table if exists "flow_run_state" cascade;`);
  }
}
