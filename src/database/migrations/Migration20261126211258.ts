import { Migration } from '@mikro-orm/migrations';

export class Migration20261126211258 extends Migration {
  override async up(): Promise<void> {
    // Trigram indexes serve `like_` (ILIKE '%v%') on names.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(
      `create type "state_type" as enum ('SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED', 'PAUSED', 'CANCELLING');`,
    );
    this.addSql(
      `create table "flow" ("id" uuid not null default gen_random_uuid(), "created" timestamptz not null default now(), "updated" timestamptz not null default now(), "name" varchar not null, "tags" jsonb not null default '[]', "labels" jsonb null, constraint "flow_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "trgm_ix_flow_name" on "flow" using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "ix_flow__updated" on "flow" ("updated");`);
    this.addSql(`create index "ix_flow__created" on "flow" ("created");`);
    this.addSql(`alter table "flow" add constraint "uq_flow__name" unique ("name");`);
    // A finer histogram keeps the planner's choice between the trigram and the btree index stable.
    this.addSql(`alter table "flow" alter column "name" set statistics 1000;`);

    this.addSql(
      `create table "work_pool" ("id" uuid not null default gen_random_uuid(), "created" timestamptz not null default now(), "updated" timestamptz not null default now(), "name" varchar not null, "description" varchar null, "type" varchar not null, "base_job_template" jsonb not null default '{}', "is_paused" boolean not null default false, "concurrency_limit" int null, "status" varchar null, "last_transitioned_status_at" timestamptz null, "last_status_event_id" uuid null, "default_queue_id" uuid null, constraint "work_pool_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "ix_work_pool__type" on "work_pool" ("type");`);
    this.addSql(`create index "ix_work_pool__updated" on "work_pool" ("updated");`);
    this.addSql(`alter table "work_pool" add constraint "uq_work_pool__name" unique ("name");`);

    this.addSql(
      `create table "work_queue" ("id" uuid not null default gen_random_uuid(), "created" timestamptz not null default now(), "updated" timestamptz not null default now(), "name" varchar not null, "description" varchar null, "is_paused" boolean not null default false, "concurrency_limit" int null, "priority" int not null, "last_polled" timestamptz null, "status" varchar not null default 'NOT_READY', "work_pool_id" uuid not null, constraint "work_queue_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "ix_work_queue__work_pool_id_priority" on "work_queue" ("work_pool_id", "priority");`);
    this.addSql(`create index "ix_work_queue__work_pool_id" on "work_queue" ("work_pool_id");`);
    this.addSql(`create index "ix_work_queue__updated" on "work_queue" ("updated");`);
    this.addSql(
      `alter table "work_queue" add constraint "uq_work_queue__work_pool_id_name" unique ("work_pool_id", "name");`,
    );

    this.addSql(
      `create table "flow_run" ("id" uuid not null default gen_random_uuid(), "created" timestamptz not null default now(), "updated" timestamptz not null default now(), "name" varchar not null, "flow_id" uuid not null, "state_type" "state_type" null, "state_name" varchar null, "state_timestamp" timestamptz null, "state" jsonb null, "flow_version" varchar null, "parameters" jsonb not null default '{}', "idempotency_key" varchar null, "context" jsonb not null default '{}', "empirical_policy" jsonb not null default '{}', "tags" jsonb not null default '[]', "labels" jsonb null, "created_by" jsonb null, "job_variables" jsonb not null default '{}', "infrastructure_pid" varchar null, "infrastructure_document_id" uuid null, "run_count" int not null default 0, "total_run_time" double precision not null default 0, "auto_scheduled" boolean not null default false, "expected_start_time" timestamptz null, "next_scheduled_start_time" timestamptz null, "start_time" timestamptz null, "end_time" timestamptz null, "deployment_id" uuid null, "deployment_version" varchar null, "work_queue_name" varchar null, "work_queue_id" uuid null, "parent_task_run_id" uuid null, constraint "flow_run_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "trgm_ix_flow_run_name" on "flow_run" using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "ix_flow_run__next_scheduled_start_time" on "flow_run" ("next_scheduled_start_time");`);
    this.addSql(`create index "ix_flow_run__expected_start_time" on "flow_run" ("expected_start_time");`);
    this.addSql(`create index "ix_flow_run__end_time" on "flow_run" ("end_time");`);
    this.addSql(`create index "ix_flow_run__start_time" on "flow_run" ("start_time");`);
    this.addSql(`create index "ix_flow_run__state_name" on "flow_run" ("state_name");`);
    this.addSql(`create index "ix_flow_run__state_type" on "flow_run" ("state_type");`);
    this.addSql(`create index "ix_flow_run__parent_task_run_id" on "flow_run" ("parent_task_run_id");`);
    this.addSql(`create index "ix_flow_run__work_queue_name" on "flow_run" ("work_queue_name");`);
    this.addSql(`create index "ix_flow_run__work_queue_id" on "flow_run" ("work_queue_id");`);
    this.addSql(`create index "ix_flow_run__deployment_id" on "flow_run" ("deployment_id");`);
    this.addSql(`create index "ix_flow_run__name" on "flow_run" ("name");`);
    this.addSql(`create index "ix_flow_run__flow_id" on "flow_run" ("flow_id");`);
    this.addSql(`create index "ix_flow_run__updated" on "flow_run" ("updated");`);
    this.addSql(
      `alter table "flow_run" add constraint "uq_flow_run__flow_id_idempotency_key" unique ("flow_id", "idempotency_key");`,
    );

    this.addSql(
      `create table "task_run" ("id" uuid not null default gen_random_uuid(), "created" timestamptz not null default now(), "updated" timestamptz not null default now(), "name" varchar not null, "flow_run_id" uuid null, "task_key" varchar not null, "dynamic_key" varchar not null, "cache_key" varchar null, "cache_expiration" timestamptz null, "task_version" varchar null, "empirical_policy" jsonb not null default '{}', "task_inputs" jsonb not null default '{}', "tags" jsonb not null default '[]', "labels" jsonb null, "state_type" "state_type" null, "state_name" varchar null, "state_timestamp" timestamptz null, "state" jsonb null, "run_count" int not null default 0, "flow_run_run_count" int not null default 0, "total_run_time" double precision not null default 0, "expected_start_time" timestamptz null, "next_scheduled_start_time" timestamptz null, "start_time" timestamptz null, "end_time" timestamptz null, constraint "task_run_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "trgm_ix_task_run_name" on "task_run" using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "ix_task_run__expected_start_time" on "task_run" ("expected_start_time");`);
    this.addSql(`create index "ix_task_run__end_time" on "task_run" ("end_time");`);
    this.addSql(`create index "ix_task_run__start_time" on "task_run" ("start_time");`);
    this.addSql(`create index "ix_task_run__state_name" on "task_run" ("state_name");`);
    this.addSql(`create index "ix_task_run__state_type" on "task_run" ("state_type");`);
    this.addSql(`create index "ix_task_run__name" on "task_run" ("name");`);
    this.addSql(`create index "ix_task_run__flow_run_id" on "task_run" ("flow_run_id");`);
    this.addSql(`create index "ix_task_run__updated" on "task_run" ("updated");`);
    this.addSql(
      `alter table "task_run" add constraint "uq_task_run__flow_run_id_task_key_dynamic_key" unique ("flow_run_id", "task_key", "dynamic_key");`,
    );

    this.addSql(
      `create table "deployment" ("id" uuid not null default gen_random_uuid(), "created" timestamptz not null default now(), "updated" timestamptz not null default now(), "name" varchar not null, "version" varchar null, "description" text null, "paused" boolean not null default false, "tags" jsonb not null default '[]', "labels" jsonb null, "parameters" jsonb not null default '{}', "job_variables" jsonb not null default '{}', "pull_steps" jsonb null, "parameter_openapi_schema" jsonb null, "enforce_parameter_schema" boolean not null default true, "entrypoint" varchar null, "path" varchar null, "status" varchar not null default 'NOT_READY', "last_polled" timestamptz null, "work_queue_name" varchar null, "flow_id" uuid not null, "work_queue_id" uuid null, constraint "deployment_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "trgm_ix_deployment_name" on "deployment" using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "ix_deployment__paused" on "deployment" ("paused");`);
    this.addSql(`create index "ix_deployment__work_queue_name" on "deployment" ("work_queue_name");`);
    this.addSql(`create index "ix_deployment__work_queue_id" on "deployment" ("work_queue_id");`);
    this.addSql(`create index "ix_deployment__flow_id" on "deployment" ("flow_id");`);
    this.addSql(`create index "ix_deployment__updated" on "deployment" ("updated");`);
    this.addSql(`alter table "deployment" add constraint "uq_deployment__flow_id_name" unique ("flow_id", "name");`);

    this.addSql(
      `alter table "work_pool" add constraint "fk_work_pool__default_queue_id__work_queue" foreign key ("default_queue_id") references "work_queue" ("id") on update no action on delete restrict;`,
    );

    this.addSql(
      `alter table "work_queue" add constraint "fk_work_queue__work_pool_id__work_pool" foreign key ("work_pool_id") references "work_pool" ("id") on update no action on delete cascade;`,
    );

    this.addSql(
      `alter table "flow_run" add constraint "fk_flow_run__flow_id__flow" foreign key ("flow_id") references "flow" ("id") on update no action on delete cascade;`,
    );
    this.addSql(
      `alter table "flow_run" add constraint "fk_flow_run__work_queue_id__work_queue" foreign key ("work_queue_id") references "work_queue" ("id") on update no action on delete set null;`,
    );
    this.addSql(
      `alter table "flow_run" add constraint "fk_flow_run__parent_task_run_id__task_run" foreign key ("parent_task_run_id") references "task_run" ("id") on update no action on delete set null;`,
    );

    this.addSql(
      `alter table "task_run" add constraint "fk_task_run__flow_run_id__flow_run" foreign key ("flow_run_id") references "flow_run" ("id") on update no action on delete cascade;`,
    );

    this.addSql(
      `alter table "deployment" add constraint "fk_deployment__flow_id__flow" foreign key ("flow_id") references "flow" ("id") on update no action on delete cascade;`,
    );
    this.addSql(
      `alter table "deployment" add constraint "fk_deployment__work_queue_id__work_queue" foreign key ("work_queue_id") references "work_queue" ("id") on update no action on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `drop table if exists "deployment", "task_run", "flow_run", "work_queue", "work_pool", "flow" cascade;`,
    );
    this.addSql(`drop type if exists "state_type";`);
  }
}
