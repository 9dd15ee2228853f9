import { DynamicModule, Module, Type } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule, DatabaseModuleOptions } from './database/database.module';
import { EventsModule } from './events/events.module';
import { FlowsModule } from './flows/flows.module';
import { HealthModule } from './health/health.module';
import { LogsModule } from './logs/logs.module';
import { DeploymentsModule } from './related/deployments/deployments.module';
import { FlowRunsModule } from './related/flow-runs/flow-runs.module';
import { RunStatesModule } from './related/runs/run-states.module';
import { TaskRunsModule } from './related/task-runs/task-runs.module';
import { WorkPoolsModule } from './related/work-pools/work-pools.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: DatabaseModuleOptions, extraModules: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database),
        HealthModule,
        FlowsModule,
        WorkPoolsModule,
        DeploymentsModule,
        FlowRunsModule,
        TaskRunsModule,
        RunStatesModule,
        AdminModule,
        EventsModule,
        LogsModule,
        ...extraModules,
      ],
    };
  }
}
