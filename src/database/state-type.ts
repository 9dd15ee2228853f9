/** Prefect's StateType enum, stored as the native PostgreSQL enum `state_type`. */
export enum StateType {
  SCHEDULED = 'SCHEDULED',
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  CRASHED = 'CRASHED',
  PAUSED = 'PAUSED',
  CANCELLING = 'CANCELLING',
}

export const STATE_TYPES = Object.values(StateType);
export const TERMINAL_STATE_TYPES: readonly StateType[] = [
  StateType.COMPLETED,
  StateType.FAILED,
  StateType.CANCELLED,
  StateType.CRASHED,
];
