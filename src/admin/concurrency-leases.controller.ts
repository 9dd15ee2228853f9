import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import {
  ConcurrencyLimitWithLeaseResponse,
  DecrementWithLeaseBody,
  IncrementWithLeaseBody,
} from './concurrency-leases.dto';

/**
 * The slot leases Prefect's engine asks for before running a task with tags (one global concurrency limit per
 * `tag:<name>`). There are no concurrency limits here, so, as Prefect's server answers when none of the named
 * limits exists, every request gets a lease on no limits: the client then runs the task without holding a slot.
 */
@ApiTags('Concurrency Limits V2')
@ApiUnprocessableEntityResponse({ description: 'Validation Error' })
@Controller('v2/concurrency_limits')
export class ConcurrencyLeasesController {
  @Post('increment-with-lease')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Bulk Increment Active Slots With Lease',
    operationId: 'bulk_increment_active_slots_with_lease_v2_concurrency_limits_increment_with_lease_post',
    description: 'Acquire slots on the named limits: none exist here, so the lease holds no limit.',
  })
  @ApiOkResponse({ type: ConcurrencyLimitWithLeaseResponse })
  increment(@Body() _body: IncrementWithLeaseBody): ConcurrencyLimitWithLeaseResponse {
    return { lease_id: randomUUID(), limits: [] };
  }

  @Post('decrement-with-lease')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Bulk Decrement Active Slots With Lease',
    operationId: 'bulk_decrement_active_slots_with_lease_v2_concurrency_limits_decrement_with_lease_post',
    description: 'Release a lease: it holds no slots here, so there is nothing to give back.',
  })
  @ApiNoContentResponse({ description: 'Successful Response' })
  decrement(@Body() _body: DecrementWithLeaseBody): void {}
}
