import { Module } from '@nestjs/common';
import { FEEDBACK_COMMAND_HANDLERS } from './feedback.commands';
import { FeedbackHttpController, FiguresHttpController } from './feedback.http.controller';

@Module({ controllers: [FeedbackHttpController, FiguresHttpController], providers: [...FEEDBACK_COMMAND_HANDLERS] })
export class FeedbackModule {}
