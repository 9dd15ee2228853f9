import { Migration } from '@mikro-orm/migrations';

/**
 * An exact row count of `flow` kept by triggers, so that an unfiltered count (the flows page's
 * total, `POST /flows/count` with no filter) reads 16 small rows instead of scanning the table.
 *
 * - Statement-level triggers with transition tables add the number of rows a statement inserted
 *   or deleted (a get-or-create that found the name inserts none and writes nothing); TRUNCATE
 *   resets the count.
 * - Each connection adds to its own slot (backend pid mod 16), so concurrent writers do not queue
 *   on one row. The slots are ordinary rows in the writer's transaction: a rolled-back insert
 *   leaves no trace, and every snapshot sees a sum that matches its own view of `flow`.
 * - A slot stays locked until the writer commits. Every flow write in this service is one
 *   autocommit statement, so no writer waits on another while it holds a slot; a future
 *   multi-statement transaction that writes flows must keep that in mind (two such writers whose
 *   pids share a slot would queue, and could deadlock if each also waits on the other).
 * - Triggers do not fire on a logical-replication subscriber (session_replication_role = replica):
 *   there the count must be rebuilt (`UPDATE flow_count SET n = 0; UPDATE flow_count SET n = (SELECT
 *   count(*) FROM flow) WHERE slot = 0`).
 */
export class Migration20261126233000_flow_count extends Migration {
  override async up(): Promise<void> {
    // Writers wait while the count is taken and the triggers are created, so none is missed.
    this.addSql(`lock table "flow" in share row exclusive mode;`);
    this.addSql(`create table "flow_count" ("slot" smallint primary key, "n" bigint not null default 0);`);
    this.addSql(
      `insert into "flow_count" ("slot", "n")
       select s, case when s = 0 then (select count(*) from "flow") else 0 end from generate_series(0, 15) as s;`,
    );
    // search_path is fixed to the migration's, so the trigger finds flow_count whatever the writer's search_path is
    // (pg_restore, for one, empties it).
    this
      .addSql(`create function "flow_count_changed"() returns trigger language plpgsql set search_path from current as $$
declare
  delta bigint;
begin
  if TG_OP = 'TRUNCATE' then
    update "flow_count" set "n" = 0 where "n" <> 0;
    return null;
  elsif TG_OP = 'INSERT' then
    select count(*) into delta from "inserted_rows";
  else
    select -count(*) into delta from "deleted_rows";
  end if;
  if delta <> 0 then
    insert into "flow_count" ("slot", "n") values (pg_backend_pid() % 16, delta)
    on conflict ("slot") do update set "n" = "flow_count"."n" + excluded."n";
  end if;
  return null;
end
$$;`);
    this.addSql(
      `create trigger "flow_count_insert" after insert on "flow" referencing new table as "inserted_rows"
       for each statement execute function "flow_count_changed"();`,
    );
    this.addSql(
      `create trigger "flow_count_delete" after delete on "flow" referencing old table as "deleted_rows"
       for each statement execute function "flow_count_changed"();`,
    );
    this.addSql(
      `create trigger "flow_count_truncate" after truncate on "flow" for each statement execute function "flow_count_changed"();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "flow_count_truncate" on "flow";`);
    this.addSql(`drop trigger if exists "flow_count_delete" on "flow";`);
    this.addSql(`drop trigger if exists "flow_count_insert" on "flow";`);
    this.addSql(`drop function if exists "flow_count_changed"();`);
    this.addSql(`drop table if exists "flow_count";`);
  }
}
