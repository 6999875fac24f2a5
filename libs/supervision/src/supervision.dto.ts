import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class DeadlinesQuery {
  @ApiPropertyOptional({ enum: ['open', 'met', 'breached', 'cancelled'] }) @IsOptional() @IsIn(['open', 'met', 'breached', 'cancelled']) state?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) unit?: string;
  @ApiPropertyOptional({ example: '2025-06-30T16:00:00Z' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}(T.*)?$/, { message: 'dueBefore must be an ISO-8601 date or instant' }) dueBefore?: string;
}
