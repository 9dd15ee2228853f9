import { Module } from '@nestjs/common';
import { EventsGateway } from './events.gateway';
import { TaskRunRecorder } from './task-run-recorder';

/** The events websocket (`/api/events/in`) and the task-run recorder behind it. */
@Module({ providers: [EventsGateway, TaskRunRecorder] })
export class EventsModule {}
