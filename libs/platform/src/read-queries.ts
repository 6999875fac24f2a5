import { ApiPropertyOptional } from '@nestjs/swagger';
import { HttpProblem } from './problem';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class PageQuery {
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
}

/** A session and a unit to narrow figures to. */
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
