import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { ConcurrencyLeasesController } from './concurrency-leases.controller';

/** The handshake and admin routes Prefect's client calls around a flow run. */
@Module({ controllers: [AdminController, ConcurrencyLeasesController] })
export class AdminModule {}
