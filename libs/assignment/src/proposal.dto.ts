import { ASSIGNMENT_MODES, DEADLINE_LIGHTS, PROPOSAL_KINDS, SATISFACTIONS } from '@banli/domain';
import { AWAITING, LIST_SORTS } from './sqlite/items.queries';
import { BackdatableDto, ID_PATTERN, PageQuery } from '@banli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

const UNIT_ID = ID_PATTERN;

export class ProposerDto {
  @ApiProperty({ example: 'member-liu-anze' }) @IsString() @IsNotEmpty() @MaxLength(128) id!: string;
  @ApiProperty({ example: '刘安泽' }) @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiProperty({ description: '领衔: exactly one proposer is the lead' }) @IsBoolean() lead!: boolean;
  @ApiPropertyOptional({ description: 'Personal data: recorded sealed, erasable on request', example: '13800000000' })
  @IsOptional()
  @Matches(/^[0-9+()\- ]{3,30}$/, { message: 'phone must be a phone number' })
  phone?: string;
}

export class SubmitProposalDto {
  @ApiProperty({ example: '第〔15〕号' }) @IsString() @IsNotEmpty() @MaxLength(50) number!: string;
  @ApiProperty({ example: '七届三次' }) @IsString() @IsNotEmpty() @MaxLength(50) session!: string;
  @ApiProperty({ enum: PROPOSAL_KINDS }) @IsIn(PROPOSAL_KINDS) kind!: (typeof PROPOSAL_KINDS)[number];
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) title!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100_000) body!: string;
  @ApiProperty({ type: [ProposerDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ProposerDto)
  proposers!: ProposerDto[];
  @ApiPropertyOptional({ description: 'When the item was submitted, if earlier than now' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T/, { message: 'submittedAt must be an ISO-8601 instant' })
  submittedAt?: string;
}

export class RegistrationDto extends BackdatableDto {
  @ApiProperty({ enum: ['accepted', 'rejected', 'merged'] }) @IsIn(['accepted', 'rejected', 'merged']) decision!: 'accepted' | 'rejected' | 'merged';
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(5000) reason?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) mergedInto?: string;
}

export class AssignmentDto extends BackdatableDto {
  @ApiProperty({ enum: ASSIGNMENT_MODES }) @IsIn(ASSIGNMENT_MODES) mode!: (typeof ASSIGNMENT_MODES)[number];
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @Matches(UNIT_ID, { each: true }) leadUnits!: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @Matches(UNIT_ID, { each: true }) coUnits?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() key?: boolean;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @Matches(UNIT_ID, { each: true }) supervisingUnits?: string[];
  @ApiPropertyOptional({ example: '杨金军' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) leadingOfficial?: string;
  @ApiPropertyOptional({ example: 'cq-npc-2017' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) ruleSet?: string;
  @ApiPropertyOptional({ description: '涉及面广、处理难度大: the reply runs for the rule set’s complex period (or its extension path)' }) @IsOptional() @IsBoolean() complex?: boolean;
}

export class ReceiptDto extends BackdatableDto {
  @ApiProperty({ example: '区民政局' }) @Matches(UNIT_ID) unitId!: string;
  @ApiProperty({ example: '2025-03-14', description: 'The day the unit received the item (收到), when later than its assignment (paper delivery)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'receivedOn must be a date YYYY-MM-DD' })
  receivedOn!: string;
}


export class EmptyCommandDto extends BackdatableDto {}

export class AdjustmentRequestDto extends BackdatableDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) reason!: string;
}

export class AdjustmentDecisionDto extends BackdatableDto {
  @ApiProperty() @IsBoolean() approved!: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(5000) reason?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @Matches(UNIT_ID, { each: true }) leadUnits?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @Matches(UNIT_ID, { each: true }) coUnits?: string[];
}

export class ReasonDto extends BackdatableDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) reason!: string;
}

export class UnitDto {
  @ApiProperty({ example: '区民政局' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
}

export class DossierQuery {
  @ApiPropertyOptional({ enum: ['html', 'json'], default: 'html' }) @IsOptional() @IsIn(['html', 'json']) format?: 'html' | 'json';
}

export class ListProposalsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsIn(['submitted', 'accepted', 'rejected', 'merged', 'assigned', 'replied', 'rehandling', 'closed', 'withdrawn']) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) unit?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) session?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) overdue?: 'true' | 'false';
  @ApiPropertyOptional({ enum: PROPOSAL_KINDS }) @IsOptional() @IsIn(PROPOSAL_KINDS) kind?: (typeof PROPOSAL_KINDS)[number];
  @ApiPropertyOptional({ description: 'The item’s number, or its start' }) @IsOptional() @IsString() @MaxLength(50) number?: string;
  @ApiPropertyOptional({ enum: DEADLINE_LIGHTS, description: 'red: a step owed is past due; yellow: one is within its warning period; green: steps owed, none near' })
  @IsOptional()
  @IsIn(DEADLINE_LIGHTS)
  light?: (typeof DEADLINE_LIGHTS)[number];
  @ApiPropertyOptional({ enum: [...SATISFACTIONS, 'rated', 'unrated'], description: 'The least satisfied counted rating of the current replies; rated: any' })
  @IsOptional()
  @IsIn([...SATISFACTIONS, 'rated', 'unrated'])
  rating?: (typeof SATISFACTIONS)[number] | 'rated' | 'unrated';
  @ApiPropertyOptional({ description: 'Words in the title or the number' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional({ enum: AWAITING, description: 'What the item waits for (of the `unit`, or the caller’s unit): a workbench’s queue' })
  @IsOptional()
  @IsIn(AWAITING)
  awaiting?: (typeof AWAITING)[number];
  @ApiPropertyOptional({ enum: LIST_SORTS, default: '-submitted' }) @IsOptional() @IsIn(LIST_SORTS) sort?: (typeof LIST_SORTS)[number];
}

export class WithdrawalDto extends ReasonDto {
  @ApiPropertyOptional({ type: [String], description: 'The co-signers who join the request, where the rule set needs every proposer (Shanghai 第十条)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  agreedBy?: string[];
}
