import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@mikro-orm/nestjs';
import { SQL_TRUE } from '../query-filters/language';
import { toUtcMicros } from '../related/runs/time';
import { Log, LogCreate, LogSort, ReadLogsBody } from './dto/log.dto';
import { LogEntity } from './log.entity';
import { LOG_SCOPE, LogRepository } from './logs.repository';

/** The log model functions (Prefect's `models.logs`). */
@Injectable()
export class LogsService {
  constructor(@InjectRepository(LogEntity) private readonly logs: LogRepository) {}

  /** Stores a batch in one statement (all or nothing). NUL characters are dropped, as Prefect does. */
  async create_logs(logs: LogCreate[]): Promise<void> {
    await this.logs.insertLogs(
      logs.map((l) => ({
        ...l,
        name: l.name.replaceAll('\u0000', ''),
        message: l.message.replaceAll('\u0000', ''),
        timestamp: toUtcMicros(l.timestamp),
      })),
    );
  }

  read_logs(body: ReadLogsBody): Promise<Log[]> {
    const where = body.logs ? body.logs.toSql(LOG_SCOPE) : SQL_TRUE;
    return this.logs.findLogs(where, body.sort ?? LogSort.TIMESTAMP_ASC, body.limit, body.offset ?? 0);
  }
}
