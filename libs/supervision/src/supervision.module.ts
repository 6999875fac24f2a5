import { Module } from '@nestjs/common';
import { AuditHttpController } from './audit.http.controller';
import { DeadlineSchedulerService } from './deadlines/deadline-scheduler.service';
import { SupervisionStreamHttpController } from './supervision-stream.http.controller';
import { DeadlinesHttpController, SupervisionHttpController } from './supervision.http.controller';

@Module({ controllers: [SupervisionHttpController, DeadlinesHttpController, AuditHttpController, SupervisionStreamHttpController], providers: [DeadlineSchedulerService] })
export class SupervisionModule {}
