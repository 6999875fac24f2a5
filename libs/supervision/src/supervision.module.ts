import { Module } from '@nestjs/common';
import { AuditHttpController } from './audit.http.controller';
import { SupervisionStreamHttpController } from './supervision-stream.http.controller';
import { DeadlinesHttpController, SupervisionHttpController } from './supervision.http.controller';

@Module({ controllers: [SupervisionHttpController, DeadlinesHttpController, AuditHttpController, SupervisionStreamHttpController] })
export class SupervisionModule {}
