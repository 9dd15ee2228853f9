import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { validateListBody } from '../prefect-compat/validation/list-body';
import { PrefectValidationPipe } from '../prefect-compat/validation/validation.pipe';
import { Log, LogCreate, ReadLogsBody } from './dto/log.dto';
import { LogsService } from './logs.service';

@ApiTags('Logs')
@ApiUnprocessableEntityResponse({ description: 'Validation Error' })
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
  // The body is JSON null, which OpenAPI 3.0 cannot type on its own.
  @ApiCreatedResponse({ description: 'Successful Response (the body is `null`)' })
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
