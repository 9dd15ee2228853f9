import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { NestedFilter } from '../../query-filters/language';
import { LogFilter } from '../../query-filters/schemas/log-filter.dto';
import {
  FieldsBody,
  IsEnumValue,
  IsLaxDateTime,
  IsLaxInt,
  IsLaxUuid,
  IsStr,
  Required,
} from '../../prefect-compat/validation';
import { LIMIT_DOCS, resolveLimit } from '../../flows/dto/flows-query.dto';

/** Data used by the Prefect REST API to create a log. */
export class LogCreate {
  @ApiProperty({ type: String, description: 'The logger name.' })
  @Required()
  @IsStr()
  name: string;

  @ApiProperty({ type: 'integer', description: 'The log level.' })
  @Required()
  // The column is a smallint, as in Prefect.
  @IsLaxInt({ ge: -32768, le: 32767 })
  level: number;

  @ApiProperty({ type: String, description: 'The log message.' })
  @Required()
  @IsStr()
  message: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'The log timestamp.' })
  @Required()
  @IsLaxDateTime()
  timestamp: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsLaxUuid({ nullable: true })
  flow_run_id?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsLaxUuid({ nullable: true })
  task_run_id?: string | null;
}

/** An ORM representation of log data. */
export class Log {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) created: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updated: string;
  @ApiProperty({ description: 'The logger name.' }) name: string;
  @ApiProperty({ type: 'integer', description: 'The log level.' }) level: number;
  @ApiProperty({ description: 'The log message.' }) message: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'The log timestamp.' }) timestamp: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) flow_run_id: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) task_run_id: string | null;
}

/** Defines log sorting options. */
export enum LogSort {
  TIMESTAMP_ASC = 'TIMESTAMP_ASC',
  TIMESTAMP_DESC = 'TIMESTAMP_DESC',
}

@ApiSchema({ name: 'Body_read_logs_logs_filter_post' })
@FieldsBody()
export class ReadLogsBody {
  static beforeValidation = resolveLimit;

  /** Always set after validation (resolveLimit fills in the default). */
  @ApiPropertyOptional(LIMIT_DOCS)
  @IsLaxInt()
  limit: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  @IsLaxInt({ ge: 0 })
  offset?: number;

  @NestedFilter(LogFilter, { description: 'Filter criteria for logs' })
  logs?: LogFilter | null;

  @ApiPropertyOptional({ enum: LogSort, enumName: 'LogSort', default: LogSort.TIMESTAMP_ASC })
  @IsEnumValue(Object.values(LogSort))
  sort?: LogSort;
}
