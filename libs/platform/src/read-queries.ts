import { ApiPropertyOptional } from '@nestjs/swagger';
import { HttpProblem } from './problem';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class PageQuery {
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
}

export class ListProposalsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsIn(['submitted', 'accepted', 'rejected', 'merged', 'assigned', 'replied', 'rehandling', 'closed', 'withdrawn']) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) unit?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) session?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) overdue?: 'true' | 'false';
}

export class DeadlinesQuery {
  @ApiPropertyOptional({ enum: ['open', 'met', 'breached', 'cancelled'] }) @IsOptional() @IsIn(['open', 'met', 'breached', 'cancelled']) state?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) unit?: string;
  @ApiPropertyOptional({ example: '2025-06-30T16:00:00Z' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}(T.*)?$/, { message: 'dueBefore must be an ISO-8601 date or instant' }) dueBefore?: string;
}

export class StatsQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) session?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) unit?: string;
}

export function toInstant(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value.length === 10 ? `${value}T00:00:00+08:00` : value);
  if (Number.isNaN(t)) throw new HttpProblem(400, 'VALIDATION_FAILED', `Not a date or instant: ${value}`);
  return new Date(t).toISOString();
}
