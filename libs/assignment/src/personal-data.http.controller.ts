import { type Actor, SUBJECT_PATTERN } from '@banli/domain';
import type { EventStore } from '@banli/event-store';
import { PersonalDataVault } from '@banli/application';
import { CLOCK, CurrentActor, EVENT_STORE, requireRole } from '@banli/platform';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** Erasures are recorded (who, when, whose), never what was erased. */
export const ERASURES_STREAM = 'personal-data-erasures';

export class ErasureDto {
  @ApiProperty({ description: '`proposer:<id>`, or `reply-contact:<item id>:<unit id>` for the contact person of a unit’s reply', example: 'proposer:dep-tan' })
  @IsString()
  @Matches(SUBJECT_PATTERN, { message: 'subject must be proposer:<id> or reply-contact:<item id>:<unit id>' })
  subject!: string;
}

/**
 * Honouring an erasure request (个人信息删除): the person's key is destroyed, so their phone numbers in
 * recorded events can no longer be read, while every event and every hash chain stays as it was.
 */
@ApiTags('personal data')
@ApiBearerAuth()
@Controller('personal-data')
export class PersonalDataHttpController {
  constructor(
    private readonly vault: PersonalDataVault,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Post('erasures')
  @HttpCode(200)
  @ApiOperation({ summary: 'Erase a person’s personal data (admin, office): their phone numbers become unreadable everywhere' })
  async erase(@Body() body: ErasureDto, @CurrentActor() actor: Actor) {
    requireRole(actor, 'admin', 'office');
    const now = this.clock();
    const hadData = this.vault.erase(body.subject, now);
    await this.store.append(ERASURES_STREAM, [{ type: 'PersonalDataErased', schemaVersion: 1, data: { subject: body.subject, hadData }, occurredAt: now.toISOString(), actor }], 'any');
    return { subject: body.subject, erasedAt: now.toISOString(), hadData };
  }
}
