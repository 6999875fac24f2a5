import { Module } from '@nestjs/common';
import { CoHandlingHttpController } from './co-handling.http.controller';

@Module({ controllers: [CoHandlingHttpController] })
export class CoHandlingModule {}
