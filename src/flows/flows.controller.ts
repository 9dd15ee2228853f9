import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { PathSegmentPipe } from '../prefect-compat/routing/path-segment.pipe';
import { UuidPathPipe } from '../prefect-compat/routing/uuid-path.pipe';
import { FlowCreate } from './dto/flow-create.dto';
import { FlowUpdate } from './dto/flow-update.dto';
import { Flow } from './dto/flow.dto';
import { FlowSort } from './dto/flow-sort';
import {
  BULK_OPERATION_LIMIT,
  BulkDeleteFlowsBody,
  CountFlowsBody,
  FlowBulkDeleteResponse,
  FlowPaginationResponse,
  PaginateFlowsBody,
  ReadFlowsBody,
} from './dto/flows-query.dto';
import { FlowsService } from './flows.service';

/**
 * Swagger UI's Try-it-out bodies. Built from the schema's field examples they would match nothing; these match the
 * flow that the create operation's example makes (name `my-flow`, tags `tag-1` and `tag-2`), so they answer
 * something on an empty database once that example was sent.
 */
const TRY_IT_OUT = {
  filter: {
    by_name_and_tag: {
      summary: 'flows named like "my-flow" tagged tag-1',
      value: { flows: { name: { like_: 'my-flow' }, tags: { all_: ['tag-1'] } }, sort: 'NAME_ASC', limit: 10 },
    },
    all: { summary: 'every flow, newest first', value: { sort: 'CREATED_DESC', limit: 10, offset: 0 } },
  },
  count: {
    by_tag: { summary: 'flows tagged tag-1', value: { flows: { tags: { all_: ['tag-1'] } } } },
    all: { summary: 'every flow', value: {} },
  },
  paginate: {
    by_name: {
      summary: 'first page of flows named like "my"',
      value: { flows: { name: { like_: 'my' } }, page: 1, limit: 10 },
    },
  },
};

@ApiTags('Flows')
@ApiExtraModels(ReadFlowsBody, CountFlowsBody, PaginateFlowsBody)
@ApiUnprocessableEntityResponse({ description: 'Validation Error' })
@Controller('flows')
export class FlowsController {
  constructor(private readonly service: FlowsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create Flow',
    operationId: 'create_flow_flows__post',
    description:
      'Creates a new flow from the provided schema. If a flow with the same name already exists, the existing flow is returned.',
  })
  @ApiBody({ type: FlowCreate })
  @ApiCreatedResponse({ type: Flow, description: 'The flow was created' })
  @ApiOkResponse({ type: Flow, description: 'A flow with this name already existed; it is returned unchanged' })
  async create(@Body() body: FlowCreate, @Res({ passthrough: true }) res: Response): Promise<Flow> {
    const { flow, created } = await this.service.create_flow(body);
    res.status(created ? 201 : 200);
    return flow;
  }

  @Post('filter')
  @HttpCode(200)
  @ApiOperation({ summary: 'Read Flows', operationId: 'read_flows_flows_filter_post', description: 'Query for flows.' })
  @ApiBody({ schema: { $ref: getSchemaPath(ReadFlowsBody) }, required: false, examples: TRY_IT_OUT.filter })
  @ApiOkResponse({ type: [Flow] })
  readFlows(@Body() body: ReadFlowsBody): Promise<Flow[]> {
    return this.service.read_flows(body, {
      sort: body.sort ?? FlowSort.NAME_ASC,
      limit: body.limit,
      offset: body.offset ?? 0,
    });
  }

  @Post('count')
  @HttpCode(200)
  @ApiOperation({ summary: 'Count Flows', operationId: 'count_flows_flows_count_post', description: 'Count flows.' })
  @ApiBody({ schema: { $ref: getSchemaPath(CountFlowsBody) }, required: false, examples: TRY_IT_OUT.count })
  @ApiOkResponse({ schema: { type: 'integer', title: 'Response Count Flows Flows Count Post' } })
  countFlows(@Body() body: CountFlowsBody): Promise<number> {
    return this.service.count_flows(body);
  }

  @Post('paginate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Paginate Flows',
    operationId: 'paginate_flows_flows_paginate_post',
    description: 'Pagination query for flows.',
  })
  @ApiBody({
    schema: { $ref: getSchemaPath(PaginateFlowsBody) },
    required: false,
    examples: TRY_IT_OUT.paginate,
  })
  @ApiOkResponse({ type: FlowPaginationResponse })
  paginateFlows(@Body() body: PaginateFlowsBody): Promise<FlowPaginationResponse> {
    return this.service.paginate_flows(body, {
      sort: body.sort ?? FlowSort.NAME_ASC,
      limit: body.limit,
      page: body.page ?? 1,
    });
  }

  @Post('bulk_delete')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Bulk Delete Flows',
    operationId: 'bulk_delete_flows_flows_bulk_delete_post',
    description:
      'Bulk delete flows matching the specified filter criteria. Also deletes the deployments of those flows.',
  })
  @ApiBody({ type: BulkDeleteFlowsBody, required: false })
  @ApiOkResponse({ type: FlowBulkDeleteResponse })
  async bulkDeleteFlows(@Body() body: BulkDeleteFlowsBody): Promise<FlowBulkDeleteResponse> {
    return { deleted: await this.service.bulk_delete_flows(body.flows, body.limit ?? BULK_OPERATION_LIMIT) };
  }

  @Patch(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Update Flow', operationId: 'update_flow_flows__id__patch', description: 'Updates a flow.' })
  @ApiNoContentResponse({ description: 'Successful Response' })
  @ApiNotFoundResponse({ description: 'Flow not found' })
  async update(@Param('id', UuidPathPipe) id: string, @Body() body: FlowUpdate): Promise<void> {
    await this.service.update_flow(id, body);
  }

  @Get('name/:name')
  @ApiOperation({
    summary: 'Read Flow By Name',
    operationId: 'read_flow_by_name_flows_name__name__get',
    description: 'Get a flow by name.',
  })
  @ApiOkResponse({ type: Flow })
  @ApiNotFoundResponse({ description: 'Flow not found' })
  readByName(@Param('name', PathSegmentPipe) name: string): Promise<Flow> {
    return this.service.read_flow_by_name(name);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read Flow', operationId: 'read_flow_flows__id__get', description: 'Get a flow by id.' })
  @ApiOkResponse({ type: Flow })
  @ApiNotFoundResponse({ description: 'Flow not found' })
  read(@Param('id', UuidPathPipe) id: string): Promise<Flow> {
    return this.service.read_flow(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete Flow',
    operationId: 'delete_flow_flows__id__delete',
    description: 'Delete a flow by id.',
  })
  @ApiNoContentResponse({ description: 'Successful Response' })
  @ApiNotFoundResponse({ description: 'Flow not found' })
  async delete(@Param('id', UuidPathPipe) id: string): Promise<void> {
    await this.service.delete_flow(id);
  }
}
