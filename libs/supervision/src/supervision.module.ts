import { Module } from '@nestjs/common';
import { SupervisionHttpController } from './supervision.http.controller';

@Module({ controllers: [SupervisionHttpController] })
export class SupervisionModule {}
