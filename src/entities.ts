import { FlowCountEntity } from './flows/flow-count.entity';
import { FlowEntity } from './flows/flow.entity';
import { LogEntity } from './logs/log.entity';
import { DeploymentEntity } from './related/deployments/deployment.entity';
import { FlowRunEntity } from './related/flow-runs/flow-run.entity';
import { FlowRunStateEntity } from './related/flow-runs/flow-run-state.entity';
import { TaskRunEntity } from './related/task-runs/task-run.entity';
import { TaskRunStateEntity } from './related/task-runs/task-run-state.entity';
import { WorkPoolEntity } from './related/work-pools/work-pool.entity';
import { WorkQueueEntity } from './related/work-pools/work-queue.entity';

/** Every table MikroORM maps: the app module, the migration CLI and mikro-orm.config.ts hand this list to the ORM. */
export const ENTITIES = [
  FlowEntity,
  FlowCountEntity,
  DeploymentEntity,
  WorkPoolEntity,
  WorkQueueEntity,
  FlowRunEntity,
  TaskRunEntity,
  FlowRunStateEntity,
  TaskRunStateEntity,
  LogEntity,
];
