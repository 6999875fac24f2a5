import type { Actor } from '@banli/domain';
import type { EventStore } from '@banli/event-store';
import { PersonalDataVault } from '@banli/application';
import { BANLI_CONFIG, type BanliConfig, CLOCK, CurrentActor, EVENT_STORE, requireRole } from '@banli/platform';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { type ImportOutcome, importItems } from './import-items';

/** The HTTP body is at most 1 MiB, and Chinese text is three bytes a character: a larger export goes through `npm run banli -- import FILE`. */
const MAX_TEXT = 330_000;

export class ImportDto {
  @ApiProperty({ description: 'JSON lines, one item per line, as `banli import` reads a file (README: Import)' })
  @IsString()
  @MaxLength(MAX_TEXT)
  lines!: string;
}

/** The office imports items from a legacy system from the console, as `banli import FILE` does. */
@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANLI_CONFIG) private readonly config: BanliConfig,
    @Inject(CLOCK) private readonly clock: () => Date,
    private readonly vault: PersonalDataVault,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Import items (office): each line validated as its API routes validate, decided in order, recorded whole or refused with its reason; an item already there is left as it is' })
  async import(@Body() body: ImportDto, @CurrentActor() actor: Actor) {
    requireRole(actor, 'office');
    const outcomes: ImportOutcome[] = [];
    // Each imported item's events carry who imported it (correlation `import:<user>:<line>`).
    const counts = await importItems(body.lines.split(/\r?\n/), { store: this.store, config: this.config, vault: this.vault, maxLineBytes: MAX_TEXT * 3, clock: this.clock, importedBy: actor.id }, (o) => outcomes.push(o));
    return { ...counts, outcomes };
  }
}
