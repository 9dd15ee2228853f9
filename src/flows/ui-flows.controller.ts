import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  Body_count_deployments_by_flow_ui_flows_count_deployments_post as CountDeploymentsBody,
  Body_next_runs_by_flow_ui_flows_next_runs_post as NextRunsBody,
  SimpleNextFlowRun,
} from './dto/ui-flows.dto';
import { FlowsService } from './flows.service';

/** Prefect's UI helper routes for the flow list (compat L1). */
// One tag: with two, Swagger UI lists every operation twice.
@ApiTags('UI')
@ApiExtraModels(SimpleNextFlowRun)
@ApiUnprocessableEntityResponse({ description: 'Validation Error' })
@Controller('ui/flows')
export class UiFlowsController {
  constructor(private readonly service: FlowsService) {}

  @Post('count-deployments')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Count Deployments By Flow',
    operationId: 'count_deployments_by_flow_ui_flows_count_deployments_post',
    description: 'The number of deployments of each requested flow (0 when it has none).',
  })
  @ApiBody({ type: CountDeploymentsBody })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: { type: 'integer' } } })
  countDeployments(@Body() body: CountDeploymentsBody): Promise<Record<string, number>> {
    return this.service.count_deployments_by_flow(body.flow_ids);
  }

  @Post('next-runs')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Next Runs By Flow',
    operationId: 'next_runs_by_flow_ui_flows_next_runs_post',
    description: 'For each requested flow, its SCHEDULED run with the earliest next scheduled start time, or null.',
  })
  @ApiBody({ type: NextRunsBody })
  @ApiOkResponse({
    schema: {
      type: 'object',
      // 3.0 ignores siblings of $ref, so nullable goes beside an allOf.
      additionalProperties: {
        type: 'object',
        nullable: true,
        allOf: [{ $ref: '#/components/schemas/SimpleNextFlowRun' }],
      },
    },
  })
  nextRuns(@Body() body: NextRunsBody): Promise<Record<string, SimpleNextFlowRun | null>> {
    return this.service.next_runs_by_flow(body.flow_ids);
  }
}
