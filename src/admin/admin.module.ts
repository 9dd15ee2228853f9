import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';

/** The handshake and admin routes Prefect's client calls around a flow run. */
@Module({ controllers: [AdminController] })
export class AdminModule {}
