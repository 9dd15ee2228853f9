import { Module } from '@nestjs/common';
import { RunStatesController } from './run-states.controller';

/** `GET /api/flow_run_states/` and `/api/task_run_states/`: the runs' state histories. */
@Module({ controllers: [RunStatesController] })
export class RunStatesModule {}
