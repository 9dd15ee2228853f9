import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { LogEntity } from './log.entity';
import { LogsController } from './logs.controller';
import { LogsService } from './logs.service';

/** Log lines sent by Prefect clients: `POST /api/logs/` and `POST /api/logs/filter`. */
@Module({
  imports: [MikroOrmModule.forFeature([LogEntity])],
  controllers: [LogsController],
  providers: [LogsService],
})
export class LogsModule {}
