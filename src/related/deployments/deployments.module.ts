import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { FlowsModule } from '../../flows/flows.module';
import { WorkPoolsModule } from '../work-pools/work-pools.module';
import { DeploymentEntity } from './deployment.entity';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsService } from './deployments.service';
import { RelatedAutomationsController } from './related-automations.controller';

@Module({
  imports: [MikroOrmModule.forFeature([DeploymentEntity]), FlowsModule, WorkPoolsModule],
  controllers: [DeploymentsController, RelatedAutomationsController],
  providers: [DeploymentsService],
  exports: [DeploymentsService],
})
export class DeploymentsModule {}
