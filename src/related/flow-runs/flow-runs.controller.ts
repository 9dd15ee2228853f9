import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UuidPathPipe } from '../../prefect-compat/routing/uuid-path.pipe';
import { Body_set_flow_run_state_flow_runs__id__set_state_post, OrchestrationResult } from '../runs/state.dto';
import { FlowRunCreate } from './dto/flow-run-create.dto';
import { FlowRunResponse } from './dto/flow-run-response.dto';
import { CountFlowRunsBody, FlowRunSort, ReadFlowRunsBody } from './dto/flow-runs-query.dto';
import { createdByFromHeaders } from './created-by-header';
import { FlowRunsService } from './flow-runs.service';

/**
 * Prefect's flow_runs routes. They are declared here, not in a base class shared with TaskRunsController: every
 * operationId, summary, description, DTO and 404 text differs, so a base would only move these lines into a spec
 * object away from their routes; its generic `@Body()` parameters would lose the DTO type the validation pipe reads
 * (design:paramtypes); and it could reach the services only by generic names, not Prefect's model functions.
 * What the routes do is shared instead: runs/runs.service.ts and runs/run-repository.ts.
 */
@ApiTags('Flow Runs')
@ApiUnprocessableEntityResponse({ description: 'Validation Error' })
@Controller('flow_runs')
export class FlowRunsController {
  constructor(private readonly service: FlowRunsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create Flow Run',
    operationId: 'create_flow_run_flow_runs__post',
    description:
      'Create a flow run. If a flow run with the same flow_id and idempotency key already exists, the existing flow run will be returned.\n\n' +
      'If no state is provided, the flow run will be created in a PENDING state. The headers Prefect-Automation-ID and ' +
      'Prefect-Automation-Name (base64) together set `created_by`.',
  })
  @ApiBody({ type: FlowRunCreate })
  @ApiCreatedResponse({ type: FlowRunResponse, description: 'The flow run was created' })
  @ApiOkResponse({
    type: FlowRunResponse,
    description: 'A flow run with this flow_id and idempotency key already existed',
  })
  @ApiNotFoundResponse({ description: 'Work pool or work pool queue not found' })
  @ApiConflictResponse({ description: 'The flow (or parent task run) does not exist' })
  async create(
    @Body() body: FlowRunCreate,
    @Res({ passthrough: true }) res: Response,
    // Read from the request rather than declared with @Headers: Prefect keeps these headers out of its API document.
    @Req() req: Request,
  ): Promise<FlowRunResponse> {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const createdBy = createdByFromHeaders(header('prefect-automation-id'), header('prefect-automation-name'));
    const { run, created } = await this.service.create_flow_run(body, createdBy);
    res.status(created ? 201 : 200);
    return run;
  }

  @Post('filter')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Read Flow Runs',
    operationId: 'read_flow_runs_flow_runs_filter_post',
    description: 'Query for flow runs.',
  })
  @ApiBody({ type: ReadFlowRunsBody, required: false })
  @ApiOkResponse({ type: [FlowRunResponse] })
  readFlowRuns(@Body() body: ReadFlowRunsBody): Promise<FlowRunResponse[]> {
    return this.service.read_flow_runs(body, {
      sort: body.sort ?? FlowRunSort.ID_DESC,
      limit: body.limit,
      offset: body.offset ?? 0,
    });
  }

  @Post('count')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Count Flow Runs',
    operationId: 'count_flow_runs_flow_runs_count_post',
    description: 'Query for flow runs.',
  })
  @ApiBody({ type: CountFlowRunsBody, required: false })
  @ApiOkResponse({ schema: { type: 'integer', title: 'Response Count Flow Runs Flow Runs Count Post' } })
  countFlowRuns(@Body() body: CountFlowRunsBody): Promise<number> {
    return this.service.count_flow_runs(body);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Read Flow Run',
    operationId: 'read_flow_run_flow_runs__id__get',
    description: 'Get a flow run by id.',
  })
  @ApiOkResponse({ type: FlowRunResponse })
  @ApiNotFoundResponse({ description: 'Flow run not found' })
  read(@Param('id', UuidPathPipe) id: string): Promise<FlowRunResponse> {
    return this.service.read_flow_run(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete Flow Run',
    operationId: 'delete_flow_run_flow_runs__id__delete',
    description: 'Delete a flow run by id.',
  })
  @ApiNoContentResponse({ description: 'Successful Response' })
  @ApiNotFoundResponse({ description: 'Flow run not found' })
  async delete(@Param('id', UuidPathPipe) id: string): Promise<void> {
    await this.service.delete_flow_run(id);
  }

  @Post(':id/set_state')
  @ApiOperation({
    summary: 'Set Flow Run State',
    operationId: 'set_flow_run_state_flow_runs__id__set_state_post',
    description:
      'Set a flow run state, invoking the orchestration rules Prefect clients depend on (retries, scheduled-time waits, duplicate proposals) unless forced.',
  })
  @ApiBody({ type: Body_set_flow_run_state_flow_runs__id__set_state_post })
  @ApiCreatedResponse({ type: OrchestrationResult, description: 'A new state was written' })
  @ApiOkResponse({ type: OrchestrationResult, description: 'No state was written; the current one is answered' })
  @ApiNotFoundResponse({ description: 'Flow run not found' })
  async setState(
    @Param('id', UuidPathPipe) id: string,
    @Body() body: Body_set_flow_run_state_flow_runs__id__set_state_post,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OrchestrationResult> {
    const { result, written } = await this.service.set_flow_run_state(id, body.state, body.force ?? false);
    res.status(written ? 201 : 200);
    return result;
  }
}
