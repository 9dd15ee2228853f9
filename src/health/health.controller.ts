import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { MikroORM } from '@mikro-orm/core';
import { SchemaState } from '../database/schema-state';
import { assertWritable } from '../database/writable';

const READY_EXAMPLE = {
  status: 'ok',
  info: { migrations: { status: 'up' }, database: { status: 'up' } },
  error: {},
  details: { migrations: { status: 'up' }, database: { status: 'up' } },
};

@ApiTags('Root')
@Controller()
export class HealthController {
  constructor(
    private readonly orm: MikroORM,
    private readonly schema: SchemaState,
    private readonly checks: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
  ) {}

  /** Prefect's own liveness answer (its client only looks at the status); it needs nothing but the process. */
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
    description: 'Readiness (@nestjs/terminus): the schema is migrated and the database answers and accepts writes.',
  })
  @ApiOkResponse({ schema: { type: 'object', example: READY_EXAMPLE } })
  @ApiServiceUnavailableResponse({
    description: 'A check is down; the body says which (and carries exception_message as every 503 here does)',
  })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.checks.check([() => this.migrations(), () => this.database()]);
    } catch (err) {
      const result = err instanceof ServiceUnavailableException ? err.getResponse() : {};
      // The error table passes bodies with exception_message through; terminus's detail stays beside it.
      throw new ServiceUnavailableException({ exception_message: 'Service Unavailable', ...(result as object) });
    }
  }

  private migrations() {
    const check = this.indicator.check('migrations');
    return this.schema.ready ? check.up() : check.down({ message: 'not applied yet' });
  }

  /** A fixed message: the probe is open without credentials, so driver errors (hosts, users) stay in the log. */
  private async database() {
    const check = this.indicator.check('database');
    try {
      await assertWritable(this.orm.em);
      return check.up();
    } catch {
      return check.down({ message: 'not reachable or read-only' });
    }
  }
}
