import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { validateListBody } from '../prefect-compat/validation/list-body';
import { PrefectValidationPipe } from '../prefect-compat/validation/validation.pipe';
import { Log, LogCreate, ReadLogsBody } from './dto/log.dto';
import { LogsService } from './logs.service';

@ApiTags('Logs')
@Controller('logs')
export class LogsController {
  private readonly pipe: PrefectValidationPipe;

  constructor(
    private readonly service: LogsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.pipe = new PrefectValidationPipe(config);
  }

  @Post()
  @ApiOperation({
    summary: 'Create Logs',
    operationId: 'create_logs_logs__post',
    description: 'Create new logs from the provided schema.',
  })
  @ApiBody({ type: [LogCreate] })
  @ApiCreatedResponse({ schema: { type: 'null' }, description: 'Successful Response' })
  async create(@Body() body: unknown, @Res() res: Response): Promise<void> {
    await this.service.create_logs(validateListBody(this.pipe, LogCreate, body));
    // FastAPI answers a route that returns None with the JSON `null`.
    res.status(201).json(null);
  }

  @Post('filter')
  @HttpCode(200)
  @ApiOperation({ summary: 'Read Logs', operationId: 'read_logs_logs_filter_post', description: 'Query for logs.' })
  @ApiOkResponse({ type: [Log] })
  read(@Body() body: ReadLogsBody): Promise<Log[]> {
    return this.service.read_logs(body);
  }
}
