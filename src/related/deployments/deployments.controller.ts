import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
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
import { DeploymentsService } from './deployments.service';
import { DeploymentCreate } from './dto/deployment-create.dto';
import { DeploymentResponse } from './dto/deployment-response.dto';
import { CountDeploymentsBody, DeploymentSort, ReadDeploymentsBody } from './dto/deployments-query.dto';

@ApiTags('Deployments')
@ApiUnprocessableEntityResponse({ description: 'Validation Error' })
@Controller('deployments')
export class DeploymentsController {
  constructor(private readonly service: DeploymentsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create Deployment',
    operationId: 'create_deployment_deployments__post',
    description:
      'Creates a new deployment from the provided schema. If a deployment with the same name and flow_id already exists, the deployment is updated.',
  })
  @ApiBody({ type: DeploymentCreate })
  @ApiCreatedResponse({ type: DeploymentResponse, description: 'The deployment was created' })
  @ApiOkResponse({
    type: DeploymentResponse,
    description: 'An existing deployment (same flow_id and name) was updated',
  })
  @ApiNotFoundResponse({ description: 'Work pool not found' })
  @ApiConflictResponse({
    description: 'The flow does not exist, or a storage or infrastructure block id is given (no blocks exist here)',
  })
  async create(@Body() body: DeploymentCreate, @Res({ passthrough: true }) res: Response): Promise<DeploymentResponse> {
    const { deployment, created } = await this.service.create_deployment(body);
    res.status(created ? 201 : 200);
    return deployment;
  }

  @Post('filter')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Read Deployments',
    operationId: 'read_deployments_deployments_filter_post',
    description: 'Query for deployments.',
  })
  @ApiBody({ type: ReadDeploymentsBody, required: false })
  @ApiOkResponse({ type: [DeploymentResponse] })
  readDeployments(@Body() body: ReadDeploymentsBody): Promise<DeploymentResponse[]> {
    return this.service.read_deployments(body, {
      sort: body.sort ?? DeploymentSort.NAME_ASC,
      limit: body.limit,
      offset: body.offset ?? 0,
    });
  }

  @Post('count')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Count Deployments',
    operationId: 'count_deployments_deployments_count_post',
    description: 'Count deployments.',
  })
  @ApiBody({ type: CountDeploymentsBody, required: false })
  @ApiOkResponse({ schema: { type: 'integer', title: 'Response Count Deployments Deployments Count Post' } })
  countDeployments(@Body() body: CountDeploymentsBody): Promise<number> {
    return this.service.count_deployments(body);
  }

  @Get('name/:flow_name/:deployment_name')
  @ApiOperation({
    summary: 'Read Deployment By Name',
    operationId: 'read_deployment_by_name_deployments_name__flow_name___deployment_name__get',
    description: 'Get a deployment using the name of the flow and the deployment.',
  })
  @ApiOkResponse({ type: DeploymentResponse })
  @ApiNotFoundResponse({ description: 'Deployment not found' })
  readByName(
    @Param('flow_name') flowName: string,
    @Param('deployment_name') name: string,
  ): Promise<DeploymentResponse> {
    // Starlette routes the decoded path, so an encoded `/` (%2F) in either name reaches no route there.
    if (flowName.includes('/') || name.includes('/')) throw new NotFoundException({ detail: 'Not Found' });
    return this.service.read_deployment_by_name(flowName, name);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Read Deployment',
    operationId: 'read_deployment_deployments__id__get',
    description: 'Get a deployment by id.',
  })
  @ApiOkResponse({ type: DeploymentResponse })
  @ApiNotFoundResponse({ description: 'Deployment not found' })
  read(@Param('id', UuidPathPipe) id: string): Promise<DeploymentResponse> {
    return this.service.read_deployment(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete Deployment',
    operationId: 'delete_deployment_deployments__id__delete',
    description: 'Delete a deployment by id.',
  })
  @ApiNoContentResponse({ description: 'Successful Response' })
  @ApiNotFoundResponse({ description: 'Deployment not found' })
  async delete(@Param('id', UuidPathPipe) id: string): Promise<void> {
    await this.service.delete_deployment(id);
  }
}
