import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/core';
import { SchemaState } from '../database/schema-state';
import { assertWritable } from '../database/writable';

@ApiTags('Root')
@Controller()
export class HealthController {
  constructor(
    private readonly orm: MikroORM,
    private readonly schema: SchemaState,
  ) {}

  @Get('health')
  @ApiOperation({
    summary: 'Health Check',
    operationId: 'health_check_health_get',
    description: 'Liveness: the process answers.',
  })
  @ApiOkResponse({ schema: { type: 'boolean', example: true } })
  health(): boolean {
    return true;
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness',
    operationId: 'ready_ready_get',
    description: 'Readiness: the schema is migrated and the database answers and accepts writes.',
  })
  @ApiOkResponse({ schema: { type: 'boolean', example: true } })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer or is read-only' })
  async ready(): Promise<boolean> {
    try {
      if (!this.schema.ready) throw new Error('migrations not applied yet');
      await assertWritable(this.orm.em);
      return true;
    } catch {
      throw new ServiceUnavailableException({ exception_message: 'Service Unavailable' });
    }
  }
}
