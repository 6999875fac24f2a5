import { Module } from '@nestjs/common';
import { FeedbackHttpController, FiguresHttpController } from './feedback.http.controller';

@Module({ controllers: [FeedbackHttpController, FiguresHttpController] })
export class FeedbackModule {}
