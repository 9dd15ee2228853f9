import { ApiProperty } from '@nestjs/swagger';
import { FieldsBody, IsUuidList, Required } from '../../prefect-compat/validation';

/** Body of the UI helper routes: the flows to report on (Prefect documents at most 200, and does not enforce it). */
@FieldsBody()
export class Body_count_deployments_by_flow_ui_flows_count_deployments_post {
  @ApiProperty({ type: [String], format: 'uuid', description: 'The flows to report on' })
  @Required()
  @IsUuidList()
  flow_ids: string[];
}

/** The next scheduled run of a flow, as the UI's flow list shows it. */
export class SimpleNextFlowRun {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) flow_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) state_name: string | null;
  @ApiProperty({ nullable: true, type: String }) state_type: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) next_scheduled_start_time: string | null;
}

/** The same body under Prefect's schema name for next-runs. */
export class Body_next_runs_by_flow_ui_flows_next_runs_post extends Body_count_deployments_by_flow_ui_flows_count_deployments_post {}
