import { Module } from '@nestjs/common';
import { CO_HANDLING_COMMAND_HANDLERS } from './co-handling.commands';
import { CoHandlingHttpController } from './co-handling.http.controller';

@Module({ controllers: [CoHandlingHttpController], providers: [...CO_HANDLING_COMMAND_HANDLERS] })
export class CoHandlingModule {}
