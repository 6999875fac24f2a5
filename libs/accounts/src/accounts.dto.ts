import { ID_PATTERN } from '@banli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ACCOUNT_ROLES } from './accounts.service';

export class UserDto {
  @ApiProperty({ example: '张办事员' }) @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiProperty({ enum: ACCOUNT_ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ACCOUNT_ROLES.length)
  @IsIn(ACCOUNT_ROLES, { each: true })
  roles!: (typeof ACCOUNT_ROLES)[number][];
  @ApiPropertyOptional({ description: 'The unit a handler or signer acts for', example: 'u-edu' }) @IsOptional() @Matches(ID_PATTERN, { message: 'unit must be a unit id' }) unit?: string;
  @ApiPropertyOptional({ description: 'At least 12 characters; required for a new user. Stored only as an Argon2id hash' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  password?: string;
}

export class SignInDto {
  @ApiProperty({ description: '用户名', example: 'admin' }) @IsString() @IsNotEmpty() @MaxLength(128) username!: string;
  @ApiProperty({ description: '密码' }) @IsString() @IsNotEmpty() @MaxLength(256) password!: string;
}
