import { CONTACT_CHANNELS, CONTACT_STAGES, RESULT_CLASSES } from '@banli/domain';
import { BackdatableDto } from '@banli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

export class ContactDto extends BackdatableDto {
  @ApiProperty({ enum: CONTACT_STAGES }) @IsIn(CONTACT_STAGES) stage!: (typeof CONTACT_STAGES)[number];
  @ApiProperty({ enum: CONTACT_CHANNELS }) @IsIn(CONTACT_CHANNELS) channel!: (typeof CONTACT_CHANNELS)[number];
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(10_000) summary!: string;
}

export class CoOpinionDto extends BackdatableDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(50_000) content!: string;
}

export class ReturnDto extends BackdatableDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) reason!: string;
}

export class CommitmentDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) description!: string;
  @ApiProperty({ example: '2025-12-31' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be YYYY-MM-DD' }) dueDate!: string;
}

export class ReplyDto extends BackdatableDto {
  @ApiProperty({ example: '铜民函〔2022〕63号' }) @IsString() @IsNotEmpty() @MaxLength(200) documentNumber!: string;
  @ApiProperty({ enum: RESULT_CLASSES }) @IsIn(RESULT_CLASSES) resultClass!: (typeof RESULT_CLASSES)[number];
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100_000) body!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) contactPerson!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(50) contactPhone!: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(200, { each: true }) cc?: string[];
  @ApiProperty() @IsBoolean() disclose!: boolean;
  @ApiPropertyOptional({ type: [CommitmentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CommitmentDto)
  commitments?: CommitmentDto[];
}
