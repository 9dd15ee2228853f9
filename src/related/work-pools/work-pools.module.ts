import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { WorkPoolEntity } from './work-pool.entity';
import { WorkQueueEntity } from './work-queue.entity';
import { WorkPoolsController } from './work-pools.controller';
import { WorkPoolsService } from './work-pools.service';

@Module({
  imports: [MikroOrmModule.forFeature([WorkPoolEntity, WorkQueueEntity])],
  controllers: [WorkPoolsController],
  providers: [WorkPoolsService],
  exports: [WorkPoolsService],
})
export class WorkPoolsModule {}
