import { Module } from '@nestjs/common';
import { FeedbackHttpController } from './feedback.http.controller';

@Module({ controllers: [FeedbackHttpController] })
export class FeedbackModule {}
