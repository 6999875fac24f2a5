import type { Actor } from '@banli/domain';
import { CLOCK, CurrentActor, HttpProblem, ID_PATTERN, UnitsDirectory } from '@banli/platform';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { DEFAULT_WEBHOOK_TYPES, STREAMED_TYPES, type StreamedType } from '../supervision-notice';
import { type Webhook, WebhookKeyMismatchError, type WebhookRegistry } from './webhook-registry';
import { WebhooksService } from './webhooks.service';

export class RegisterWebhookDto {
  @ApiProperty({ example: 'https://duban.example.gov.cn/banli-hook' })
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  url!: string;

  @ApiProperty({ description: 'Shared secret for the HMAC-SHA256 signature (16–256 characters); never shown again' })
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  secret!: string;

  @ApiPropertyOptional({ description: 'Only events about this unit' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'unit must be a unit id' })
  unit?: string;

  @ApiPropertyOptional({ enum: STREAMED_TYPES, isArray: true, description: 'Default: DeadlineApproaching, DeadlineBreached, Urged, Escalated' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(STREAMED_TYPES, { each: true })
  eventTypes?: StreamedType[];
}

/**
 * Signed webhooks for the supervision office: each approaching or breached deadline, urging notice
 * and escalation is POSTed to the registered URL with a `Banli-Signature` header.
 */
@ApiTags('supervision')
@ApiBearerAuth()
@Controller('supervision/webhooks')
export class WebhooksHttpController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly units: UnitsDirectory,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a webhook (supervisors, office)' })
  async register(@Body() body: RegisterWebhookDto, @CurrentActor() actor: Actor) {
    allowed(actor);
    if (body.unit !== undefined && (await this.units.unknown([body.unit])).length > 0) {
      throw new HttpProblem(422, 'UNKNOWN_UNIT', `Not in the units directory: ${body.unit}`, { units: [body.unit] });
    }
    const webhook = await this.read((registry) =>
      registry.register(
        { url: body.url, secret: body.secret, ...(body.unit === undefined ? {} : { unit: body.unit }), eventTypes: body.eventTypes ?? [...DEFAULT_WEBHOOK_TYPES] },
        actor,
        this.clock(),
      ),
    );
    await this.webhooks.sync();
    return this.view(webhook);
  }

  @Get()
  @ApiOperation({ summary: 'The registered webhooks with their delivery status (supervisors, office)' })
  async list(@CurrentActor() actor: Actor) {
    allowed(actor);
    return (await this.read((registry) => registry.list())).map((w) => this.view(w));
  }

  @Get(':webhookId')
  @ApiOperation({ summary: 'One webhook with its delivery status' })
  async get(@Param('webhookId') webhookId: string, @CurrentActor() actor: Actor) {
    allowed(actor);
    const webhook = await this.read((registry) => registry.get(webhookId));
    if (!webhook) throw new HttpProblem(404, 'WEBHOOK_NOT_FOUND', `No webhook ${webhookId}`);
    return this.view(webhook);
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a webhook: deliveries to it stop' })
  async remove(@Param('webhookId') webhookId: string, @CurrentActor() actor: Actor): Promise<void> {
    allowed(actor);
    if (!(await this.read((registry) => registry.remove(webhookId, actor, this.clock())))) throw new HttpProblem(404, 'WEBHOOK_NOT_FOUND', `No webhook ${webhookId}`);
    await this.webhooks.sync();
  }

  /**
   * The registry, read up to now. A webhook registered by a process with another key (checked at start for
   * this one) is the deployment's fault, not the caller's: 503, and nothing is recorded.
   */
  private async read<T>(use: (registry: WebhookRegistry) => Promise<T>): Promise<T> {
    try {
      return await use(this.webhooks.registry);
    } catch (error) {
      if (error instanceof WebhookKeyMismatchError) throw new HttpProblem(503, 'WEBHOOK_KEY_MISMATCH', error.message);
      throw error;
    }
  }

  /** Everything but the secret; delivery status where this process delivers. */
  private view(webhook: Webhook) {
    const { secret: _secret, ...rest } = webhook;
    return { ...rest, delivery: this.webhooks.status(webhook.webhookId) ?? null };
  }
}

function allowed(actor: Actor): void {
  if (!actor.roles.some((r) => r === 'supervisor' || r === 'office' || r === 'admin')) throw new HttpProblem(403, 'FORBIDDEN', 'Webhooks are for supervisors and the office');
}
