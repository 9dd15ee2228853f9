import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { FlowEntity } from './flow.entity';
import { FlowsController } from './flows.controller';
import { FlowsService } from './flows.service';
import { UiFlowsController } from './ui-flows.controller';

@Module({
  imports: [MikroOrmModule.forFeature([FlowEntity])],
  controllers: [FlowsController, UiFlowsController],
  providers: [FlowsService],
  exports: [FlowsService],
})
export class FlowsModule {}
