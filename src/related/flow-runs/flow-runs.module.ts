import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DeploymentEntity } from '../deployments/deployment.entity';
import { TaskRunEntity } from '../task-runs/task-run.entity';
import { FlowsModule } from '../../flows/flows.module';
import { WorkPoolsModule } from '../work-pools/work-pools.module';
import { FlowRunEntity } from './flow-run.entity';
import { FlowRunsController } from './flow-runs.controller';
import { FlowRunsService } from './flow-runs.service';

@Module({
  imports: [MikroOrmModule.forFeature([FlowRunEntity, DeploymentEntity, TaskRunEntity]), FlowsModule, WorkPoolsModule],
  controllers: [FlowRunsController],
  providers: [FlowRunsService],
})
export class FlowRunsModule {}
