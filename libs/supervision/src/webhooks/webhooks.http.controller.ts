import type { Actor } from '@banli/domain';
import { UnitsDirectory } from '@banli/application';
import { CLOCK, CurrentActor, HttpProblem, ID_PATTERN } from '@banli/platform';
import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';
import { DEFAULT_WEBHOOK_TYPES, STREAMED_TYPES, type StreamedType } from '../supervision-notice';
import { type Webhook, WebhookKeyMismatchError, type WebhookRegistry } from './webhook-registry';
import { WebhooksService } from './webhooks.service';
import { checkTarget, WebhookTargetRefused } from './webhook-target';

/**
 * A webhook secret: 16–256 printable ASCII characters, or `whsec_` and the base64 of 24–64 random
 * bytes (the Standard Webhooks form). A `whsec_` secret that is not base64 would sign with the few bytes
 * (or none) that decode from it, which anyone could then forge.
 */
function IsWebhookSecret(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    MinLength(16),
    MaxLength(256),
    Matches(/^[\x21-\x7e]+$/, { message: 'secret must be printable ASCII characters without spaces' }),
    ValidateBy({
      name: 'standardWebhookSecret',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !value.startsWith('whsec_')) return true;
          const base64 = value.slice('whsec_'.length);
          const bytes = Buffer.from(base64, 'base64').length;
          return /^[A-Za-z0-9+/]+={0,2}$/.test(base64) && base64.length % 4 === 0 && bytes >= 24 && bytes <= 64;
        },
        defaultMessage: () => 'secret written whsec_… must be the base64 of 24 to 64 bytes',
      },
    }),
  ) as PropertyDecorator;
}

export class RegisterWebhookDto {
  @ApiProperty({ example: 'https://duban.example.gov.cn/banli-hook' })
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  url!: string;

  @ApiProperty({ description: 'Shared secret for the HMAC-SHA256 signatures (16–256 printable ASCII characters, or whsec_<base64> of 24–64 bytes); never shown again' })
  @IsWebhookSecret()
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

export class RotateSecretDto {
  @ApiProperty({ description: 'The new secret (16–256 printable ASCII characters, or whsec_<base64> of 24–64 bytes)' })
  @IsWebhookSecret()
  secret!: string;

  @ApiPropertyOptional({ description: 'How long the previous secret still signs deliveries, in hours (default 24, at most 168)', default: 24 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(168)
  previousValidForHours?: number;
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
    try {
      await checkTarget(body.url, this.webhooks.target);
    } catch (error) {
      if (error instanceof WebhookTargetRefused) throw new HttpProblem(422, 'WEBHOOK_TARGET_REFUSED', error.message, { reason: error.reason });
      throw error;
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
    return (await this.read((registry) => registry.list())).filter((w) => manages(actor, w)).map((w) => this.view(w));
  }

  @Get(':webhookId')
  @ApiOperation({ summary: 'One webhook with its delivery status' })
  async get(@Param('webhookId') webhookId: string, @CurrentActor() actor: Actor) {
    allowed(actor);
    return this.view(await this.owned(webhookId, actor));
  }

  @Post(':webhookId/secret-rotation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the secret; the previous one keeps signing deliveries for previousValidForHours (default 24), so the receiver can change over' })
  async rotate(@Param('webhookId') webhookId: string, @Body() body: RotateSecretDto, @CurrentActor() actor: Actor) {
    await this.owned(webhookId, actor);
    const now = this.clock();
    const rotated = await this.read((registry) => registry.rotate(webhookId, body.secret, new Date(now.getTime() + (body.previousValidForHours ?? 24) * 3_600_000), actor, now));
    if (!rotated) throw new HttpProblem(404, 'WEBHOOK_NOT_FOUND', `No webhook ${webhookId}`);
    await this.webhooks.sync();
    return this.view(rotated);
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a webhook: deliveries to it stop' })
  async remove(@Param('webhookId') webhookId: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.owned(webhookId, actor);
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

  /** The webhook, if the caller manages it: the office and admins every one, a supervisor its own unit's. */
  private async owned(webhookId: string, actor: Actor): Promise<Webhook> {
    allowed(actor);
    const webhook = await this.read((registry) => registry.get(webhookId));
    if (!webhook) throw new HttpProblem(404, 'WEBHOOK_NOT_FOUND', `No webhook ${webhookId}`);
    if (!manages(actor, webhook)) throw new HttpProblem(403, 'FORBIDDEN', 'This webhook belongs to another unit');
    return webhook;
  }

  /** Everything but the secrets; delivery status where this process delivers. */
  private view(webhook: Webhook) {
    const { secret: _secret, previousSecret, registrant: _registrant, ...rest } = webhook;
    return { ...rest, ...(previousSecret ? { previousSecretValidUntil: previousSecret.validUntil } : {}), delivery: this.webhooks.status(webhook.webhookId) ?? null };
  }
}

function allowed(actor: Actor): void {
  if (!actor.roles.some((r) => r === 'supervisor' || r === 'office' || r === 'admin')) throw new HttpProblem(403, 'FORBIDDEN', 'Webhooks are for supervisors and the office');
}

/** The office and admins manage every webhook; a supervisor those its unit registered (or it did, without a unit). */
function manages(actor: Actor, webhook: Webhook): boolean {
  if (actor.roles.some((r) => r === 'office' || r === 'admin')) return true;
  return webhook.ownerUnit !== undefined ? webhook.ownerUnit === actor.unit : webhook.registeredBy === actor.id;
}
