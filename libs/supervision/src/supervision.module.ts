import { Module } from '@nestjs/common';
import { SUPERVISION_COMMAND_HANDLERS } from './supervision.commands';
import { AuditHttpController } from './audit.http.controller';
import { StoreCheckpointService } from './audit/store-checkpoints';
import { DeadlineSchedulerService } from './deadlines/deadline-scheduler.service';
import { StreamConnections, SupervisionStreamHttpController } from './supervision-stream.http.controller';
import { DeadlinesHttpController, SupervisionHttpController } from './supervision.http.controller';
import { WebhooksHttpController } from './webhooks/webhooks.http.controller';
import { WebhooksService } from './webhooks/webhooks.service';

@Module({
  controllers: [SupervisionHttpController, DeadlinesHttpController, AuditHttpController, SupervisionStreamHttpController, WebhooksHttpController],
  providers: [...SUPERVISION_COMMAND_HANDLERS, DeadlineSchedulerService, WebhooksService, StreamConnections, StoreCheckpointService],
})
export class SupervisionModule {}
