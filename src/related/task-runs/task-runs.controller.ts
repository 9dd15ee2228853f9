import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
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
import type { Response } from 'express';
import { UuidPathPipe } from '../../prefect-compat/routing/uuid-path.pipe';
import { Body_set_task_run_state_task_runs__id__set_state_post, OrchestrationResult } from '../runs/state.dto';
import { TaskRun } from './dto/task-run.dto';
import { TaskRunCreate } from './dto/task-run-create.dto';
import { CountTaskRunsBody, ReadTaskRunsBody, TaskRunSort } from './dto/task-runs-query.dto';
import { TaskRunsService } from './task-runs.service';

/** Prefect's task_runs routes (FlowRunsController says why the routes the two share are declared twice). */
@ApiTags('Task Runs')
@ApiUnprocessableEntityResponse({ description: 'Validation Error' })
@Controller('task_runs')
export class TaskRunsController {
  constructor(private readonly service: TaskRunsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create Task Run',
    operationId: 'create_task_run_task_runs__post',
    description:
      'Create a task run. If a task run with the same flow_run_id, task_key, and dynamic_key already exists, the existing task run will be returned.\n\n' +
      'If no state is provided, the task run will be created in a PENDING state.',
  })
  @ApiBody({ type: TaskRunCreate })
  @ApiCreatedResponse({ type: TaskRun, description: 'The task run was created' })
  @ApiOkResponse({
    type: TaskRun,
    description: 'A task run with this flow_run_id, task_key and dynamic_key already existed',
  })
  @ApiConflictResponse({ description: 'The flow run does not exist, or the id is taken' })
  async create(@Body() body: TaskRunCreate, @Res({ passthrough: true }) res: Response): Promise<TaskRun> {
    const { run, created } = await this.service.create_task_run(body);
    res.status(created ? 201 : 200);
    return run;
  }

  @Post('filter')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Read Task Runs',
    operationId: 'read_task_runs_task_runs_filter_post',
    description: 'Query for task runs.',
  })
  @ApiBody({ type: ReadTaskRunsBody, required: false })
  @ApiOkResponse({ type: [TaskRun] })
  readTaskRuns(@Body() body: ReadTaskRunsBody): Promise<TaskRun[]> {
    return this.service.read_task_runs(body, {
      sort: body.sort ?? TaskRunSort.ID_DESC,
      limit: body.limit,
      offset: body.offset ?? 0,
    });
  }

  @Post('count')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Count Task Runs',
    operationId: 'count_task_runs_task_runs_count_post',
    description: 'Count task runs.',
  })
  @ApiBody({ type: CountTaskRunsBody, required: false })
  @ApiOkResponse({ schema: { type: 'integer', title: 'Response Count Task Runs Task Runs Count Post' } })
  countTaskRuns(@Body() body: CountTaskRunsBody): Promise<number> {
    return this.service.count_task_runs(body);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Read Task Run',
    operationId: 'read_task_run_task_runs__id__get',
    description: 'Get a task run by id.',
  })
  @ApiOkResponse({ type: TaskRun })
  @ApiNotFoundResponse({ description: 'Task not found' })
  read(@Param('id', UuidPathPipe) id: string): Promise<TaskRun> {
    return this.service.read_task_run(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete Task Run',
    operationId: 'delete_task_run_task_runs__id__delete',
    description: 'Delete a task run by id.',
  })
  @ApiNoContentResponse({ description: 'Successful Response' })
  @ApiNotFoundResponse({ description: 'Task not found' })
  async delete(@Param('id', UuidPathPipe) id: string): Promise<void> {
    await this.service.delete_task_run(id);
  }

  @Post(':id/set_state')
  @ApiOperation({
    summary: 'Set Task Run State',
    operationId: 'set_task_run_state_task_runs__id__set_state_post',
    description: 'Set a task run state. No task-run orchestration rule is applied (force semantics).',
  })
  @ApiBody({ type: Body_set_task_run_state_task_runs__id__set_state_post })
  @ApiCreatedResponse({ type: OrchestrationResult, description: 'A new state was written' })
  @ApiOkResponse({ type: OrchestrationResult, description: 'No state was written; the current one is answered' })
  @ApiNotFoundResponse({ description: 'Task run not found' })
  async setState(
    @Param('id', UuidPathPipe) id: string,
    @Body() body: Body_set_task_run_state_task_runs__id__set_state_post,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OrchestrationResult> {
    const { result, written } = await this.service.set_task_run_state(id, body.state);
    res.status(written ? 201 : 200);
    return result;
  }
}
