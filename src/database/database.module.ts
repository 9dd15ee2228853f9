import { DynamicModule, Inject, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { migrateWithLock } from './migration-runner';
import { ormOptions } from './orm-options';

export const DATABASE_URL = Symbol('DATABASE_URL');

export interface DatabaseModuleOptions {
  url: string;
  /** false for tools that only need the module graph (the OpenAPI export). */
  connect?: boolean;
}

@Injectable()
class MigrateOnStart implements OnModuleInit {
  private readonly logger = new Logger('Migrations');
  constructor(
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_URL) private readonly db: DatabaseModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.migrateOnStart || this.db.connect === false) return;
    const applied = await migrateWithLock(this.orm, this.db.url);
    this.logger.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'schema is up to date');
  }
}

/**
 * MikroORM root module. @mikro-orm/nestjs registers the RequestContext middleware, so each
 * request runs on its own EntityManager fork (the unit of work).
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        MikroOrmModule.forRootAsync({
          driver: PostgreSqlDriver,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...ormOptions(options.url, config),
            connect: options.connect !== false,
            registerRequestContext: true,
          }),
        }),
      ],
      providers: [{ provide: DATABASE_URL, useValue: options }, MigrateOnStart],
    };
  }
}
