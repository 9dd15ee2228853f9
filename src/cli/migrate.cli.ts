/**
 * Migration commands that work with no set-up: against DATABASE_URL, or the embedded
 * PostgreSQL that `npm start` uses.
 *   npm run migration:create [-- --initial | --blank] [-- --name x]
 *   npm run migration:up | migration:down | migration:check | migration:pending
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/app-config';
import { resolveDatabase } from '../database/database-url';
import { ormOptions } from '../database/orm-options';
import { migrateWithLock } from '../database/migration-runner';
import { ENTITIES } from '../entities';
import { createRootLogger, nestLogger } from '../logging/app-logger';

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig();
  // The migrator's lines come out as the server's do (LOG_FORMAT, LOG_LEVEL), not in Nest's default format.
  Logger.overrideLogger(
    nestLogger(
      createRootLogger({ format: config.logFormat, level: config.logLevel, colour: Boolean(process.stdout.isTTY) }),
    ),
  );
  const log = new Logger('Migrate');
  const db = await resolveDatabase(config, (l) => log.log(l));
  const orm = await MikroORM.init(ormOptions(db.url, { ...config, logLevel: 'warn' }, ENTITIES));
  const migrator = orm.getMigrator();
  try {
    switch (command) {
      case 'create': {
        const nameIdx = args.indexOf('--name');
        const result = await migrator.createMigration(
          undefined,
          args.includes('--blank'),
          args.includes('--initial'),
          nameIdx >= 0 ? args[nameIdx + 1] : undefined,
        );
        console.log(result.fileName ? `created ${result.fileName}` : 'no schema changes: nothing to create');
        for (const line of result.diff.up) console.log(`  ${line}`);
        return 0;
      }
      case 'up': {
        const applied = await migrateWithLock(orm, db.url);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
        return 0;
      }
      case 'down': {
        const reverted = await migrator.down();
        console.log(reverted.length ? `reverted: ${reverted.map((m) => m.name).join(', ')}` : 'nothing to revert');
        return 0;
      }
      case 'pending': {
        const pending = await migrator.getPendingMigrations();
        console.log(pending.length ? pending.map((m) => m.name).join('\n') : 'no pending migrations');
        return 0;
      }
      case 'check': {
        // Both kinds of drift: migrations not yet applied, and entities the migrations do not cover.
        const pending = await migrator.getPendingMigrations();
        const diff = await migrator.checkMigrationNeeded();
        if (pending.length) console.log(`pending migrations: ${pending.map((m) => m.name).join(', ')}`);
        if (diff) console.log('the entities differ from the schema: run `npm run migration:create`');
        if (!pending.length && !diff) console.log('up to date: no pending migrations, no schema drift');
        return pending.length || diff ? 1 : 0;
      }
      default:
        console.error('usage: migrate.cli <create [--initial|--blank] [--name N] | up | down | pending | check>');
        return 2;
    }
  } finally {
    await orm.close(true);
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error && err.name === 'EmbeddedPostgresError' ? err.message : err);
    process.exit(1);
  },
);
