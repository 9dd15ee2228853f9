import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EntityClass, MikroORM } from '@mikro-orm/core';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { classifyDatabaseError } from './database-errors';
import { migrateWithLock } from './migration-runner';

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

export interface DatabaseModuleOptions {
  url: string;
  /** The entity classes to map (src/entities.ts). */
  entities: readonly EntityClass<object>[];
  /** false for tools that only need the module graph (the OpenAPI export). */
  connect?: boolean;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * Whether the schema is known to be current. With MIGRATE_ON_START the app applies pending migrations at start;
 * if the database is not reachable yet, the app still starts (health answers, API answers 503) and keeps retrying
 * in the background until it can migrate, so it recovers by itself when the database comes up.
 */
@Injectable()
export class SchemaState implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Migrations');
  private current = false;
  private retry?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_OPTIONS) private readonly db: DatabaseModuleOptions,
  ) {}

  get ready(): boolean {
    return this.current;
  }

  async onModuleInit(): Promise<void> {
    if (!this.config.migrateOnStart || this.db.connect === false) {
      this.current = true;
      return;
    }
    await this.migrate(RETRY_MIN_MS);
  }

  onModuleDestroy(): void {
    this.closed = true;
    clearTimeout(this.retry);
  }

  private async migrate(nextDelay: number): Promise<void> {
    try {
      const applied = await migrateWithLock(this.orm, this.db.url);
      this.current = true;
      this.logger.log(
        applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'schema is up to date',
      );
    } catch (err) {
      if (classifyDatabaseError(err)?.kind !== 'retryable') throw err;
      if (this.closed) return;
      this.logger.warn(`database not reachable (${(err as Error).message}); retrying migrations in ${nextDelay} ms`);
      this.retry = setTimeout(() => void this.migrate(Math.min(nextDelay * 2, RETRY_MAX_MS)), nextDelay);
      this.retry.unref();
    }
  }
}
