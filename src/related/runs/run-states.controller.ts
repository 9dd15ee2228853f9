import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import { UuidPathPipe } from '../../prefect-compat/routing/uuid-path.pipe';
import { requiredQueryUuid } from '../../prefect-compat/validation/query-params';
import { readRunState, readRunStates } from './state-history';
import { State } from './state.dto';

// Prefect's task-run-state route says "Flow run state not found" too.
const STATE_NOT_FOUND = { detail: 'Flow run state not found' };

/** The state histories of flow runs and task runs (Prefect's flow_run_states and task_run_states routes). */
@ApiUnprocessableEntityResponse({ description: 'Validation Error' })
@Controller()
export class RunStatesController {
  constructor(private readonly em: EntityManager) {}

  @Get('flow_run_states/:id')
  @ApiTags('Flow Run States')
  @ApiOperation({
    summary: 'Read Flow Run State',
    operationId: 'read_flow_run_state_flow_run_states__id__get',
    description: 'Get a flow run state by id.',
  })
  @ApiOkResponse({ type: State })
  @ApiNotFoundResponse({ description: 'Flow run state not found' })
  async readFlowRunState(@Param('id', UuidPathPipe) id: string): Promise<State> {
    const state = await readRunState(this.em, 'flow_run', id);
    if (!state) throw new NotFoundException(STATE_NOT_FOUND);
    return state;
  }

  @Get('flow_run_states')
  @ApiTags('Flow Run States')
  @ApiQuery({ name: 'flow_run_id', type: String, format: 'uuid', required: true })
  @ApiOperation({
    summary: 'Read Flow Run States',
    operationId: 'read_flow_run_states_flow_run_states__get',
    description: 'Get states associated with a flow run, oldest first.',
  })
  @ApiOkResponse({ type: [State] })
  readFlowRunStates(@Query('flow_run_id') flowRunId: unknown): Promise<State[]> {
    return readRunStates(this.em, 'flow_run', requiredQueryUuid('flow_run_id', flowRunId));
  }

  @Get('task_run_states/:id')
  @ApiTags('Task Run States')
  @ApiOperation({
    summary: 'Read Task Run State',
    operationId: 'read_task_run_state_task_run_states__id__get',
    description: 'Get a task run state by id.',
  })
  @ApiOkResponse({ type: State })
  @ApiNotFoundResponse({ description: 'Flow run state not found' })
  async readTaskRunState(@Param('id', UuidPathPipe) id: string): Promise<State> {
    const state = await readRunState(this.em, 'task_run', id);
    if (!state) throw new NotFoundException(STATE_NOT_FOUND);
    return state;
  }

  @Get('task_run_states')
  @ApiTags('Task Run States')
  @ApiQuery({ name: 'task_run_id', type: String, format: 'uuid', required: true })
  @ApiOperation({
    summary: 'Read Task Run States',
    operationId: 'read_task_run_states_task_run_states__get',
    description: 'Get states associated with a task run, oldest first.',
  })
  @ApiOkResponse({ type: [State] })
  readTaskRunStates(@Query('task_run_id') taskRunId: unknown): Promise<State[]> {
    return readRunStates(this.em, 'task_run', requiredQueryUuid('task_run_id', taskRunId));
  }
}
