import { Module } from '@nestjs/common';
import { DeadlinesHttpController, SupervisionHttpController } from './supervision.http.controller';

@Module({ controllers: [SupervisionHttpController, DeadlinesHttpController] })
export class SupervisionModule {}
