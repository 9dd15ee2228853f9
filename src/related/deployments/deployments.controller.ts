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
import { DeploymentsService } from './deployments.service';
import { DeploymentCreate } from './dto/deployment-create.dto';
import { DeploymentResponse } from './dto/deployment-response.dto';

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
