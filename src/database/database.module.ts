import { DynamicModule, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ormOptions } from './orm-options';
import { DATABASE_OPTIONS, DatabaseModuleOptions, SchemaState } from './schema-state';

export type { DatabaseModuleOptions } from './schema-state';

/**
 * MikroORM root module. Each request runs on its own EntityManager fork (the unit of work): the app
 * factory wraps every request in one (src/database/unit-of-work.ts).
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        MikroOrmModule.forRootAsync({
          driver: PostgreSqlDriver,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...ormOptions(options.url, config, options.entities),
            connect: options.connect !== false,
            // The app factory opens the request's unit of work itself, in its one cross-cutting middleware layer.
            registerRequestContext: false,
          }),
        }),
      ],
      providers: [{ provide: DATABASE_OPTIONS, useValue: options }, SchemaState],
      exports: [SchemaState],
    };
  }
}
