import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { TaskRunEntity } from './task-run.entity';
import { TaskRunsController } from './task-runs.controller';
import { TaskRunsService } from './task-runs.service';

@Module({
  imports: [MikroOrmModule.forFeature([TaskRunEntity])],
  controllers: [TaskRunsController],
  providers: [TaskRunsService],
})
export class TaskRunsModule {}
