import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { WorkPoolCreate } from './dto/work-pool-create.dto';
import { WorkPoolResponse, WorkQueueResponse } from './dto/work-pool-response.dto';
import { WorkQueueCreate } from './dto/work-queue-create.dto';
import { CountWorkPoolsBody, ReadWorkPoolsBody, ReadWorkQueuesBody } from './dto/work-pools-query.dto';
import { WorkPoolsService } from './work-pools.service';

@ApiTags('Work Pools')
@ApiUnprocessableEntityResponse({ description: 'Validation Error' })
@Controller('work_pools')
export class WorkPoolsController {
  constructor(private readonly service: WorkPoolsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create Work Pool',
    operationId: 'create_work_pool_work_pools__post',
    description: 'Creates a new work pool. If a work pool with the same name already exists, an error will be raised.',
  })
  @ApiBody({ type: WorkPoolCreate })
  @ApiCreatedResponse({ type: WorkPoolResponse })
  @ApiForbiddenResponse({ description: "Work pools starting with 'Prefect' are reserved for internal use." })
  @ApiConflictResponse({ description: 'A work pool with this name already exists.' })
  create(@Body() body: WorkPoolCreate): Promise<WorkPoolResponse> {
    return this.service.create_work_pool(body);
  }

  // Declared before the `{name}` routes, as in Prefect: `filter` and `count` are not pool names for POST.
  @Post('filter')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Read Work Pools',
    operationId: 'read_work_pools_work_pools_filter_post',
    description: 'Read multiple work pools',
  })
  @ApiBody({ type: ReadWorkPoolsBody, required: false })
  @ApiOkResponse({ type: [WorkPoolResponse] })
  readWorkPools(@Body() body: ReadWorkPoolsBody): Promise<WorkPoolResponse[]> {
    return this.service.read_work_pools(body.work_pools, body.limit, body.offset ?? 0);
  }

  @Post('count')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Count Work Pools',
    operationId: 'count_work_pools_work_pools_count_post',
    description: 'Count work pools',
  })
  @ApiBody({ type: CountWorkPoolsBody, required: false })
  @ApiOkResponse({ schema: { type: 'integer', title: 'Response Count Work Pools Work Pools Count Post' } })
  countWorkPools(@Body() body: CountWorkPoolsBody): Promise<number> {
    return this.service.count_work_pools(body.work_pools);
  }

  @Get(':name')
  @ApiOperation({
    summary: 'Read Work Pool',
    operationId: 'read_work_pool_work_pools__name__get',
    description: 'Read a work pool by name',
  })
  @ApiOkResponse({ type: WorkPoolResponse })
  @ApiNotFoundResponse({ description: 'Work pool not found' })
  read(@Param('name') name: string): Promise<WorkPoolResponse> {
    return this.service.read_work_pool(name);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete Work Pool',
    operationId: 'delete_work_pool_work_pools__name__delete',
    description: 'Delete a work pool',
  })
  @ApiNoContentResponse({ description: 'Successful Response' })
  @ApiNotFoundResponse({ description: 'Work pool not found' })
  async delete(@Param('name') name: string): Promise<void> {
    await this.service.delete_work_pool(name);
  }

  @Post(':work_pool_name/queues')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create Work Queue',
    operationId: 'create_work_queue_work_pools__work_pool_name__queues_post',
    description:
      'Creates a new work pool queue. If a work pool queue with the same name already exists, an error will be raised.',
  })
  @ApiBody({ type: WorkQueueCreate })
  @ApiCreatedResponse({ type: WorkQueueResponse })
  @ApiNotFoundResponse({ description: 'Work pool not found' })
  @ApiConflictResponse({ description: 'A work queue with this name already exists in the pool.' })
  createQueue(@Param('work_pool_name') poolName: string, @Body() body: WorkQueueCreate): Promise<WorkQueueResponse> {
    return this.service.create_work_queue(poolName, body);
  }

  @Post(':work_pool_name/queues/filter')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Read Work Queues',
    operationId: 'read_work_queues_work_pools__work_pool_name__queues_filter_post',
    description: 'Read all work pool queues',
  })
  @ApiBody({ type: ReadWorkQueuesBody, required: false })
  @ApiOkResponse({ type: [WorkQueueResponse] })
  @ApiNotFoundResponse({ description: 'Work pool not found' })
  readWorkQueues(
    @Param('work_pool_name') poolName: string,
    @Body() body: ReadWorkQueuesBody,
  ): Promise<WorkQueueResponse[]> {
    return this.service.read_work_queues(poolName, body.work_queues, body.limit, body.offset ?? 0);
  }

  @Get(':work_pool_name/queues/:name')
  @ApiOperation({
    summary: 'Read Work Queue',
    operationId: 'read_work_queue_work_pools__work_pool_name__queues__name__get',
    description: 'Read a work pool queue',
  })
  @ApiOkResponse({ type: WorkQueueResponse })
  @ApiNotFoundResponse({ description: 'Work pool queue not found' })
  readQueue(@Param('work_pool_name') poolName: string, @Param('name') name: string): Promise<WorkQueueResponse> {
    return this.service.read_work_queue(poolName, name);
  }
}
