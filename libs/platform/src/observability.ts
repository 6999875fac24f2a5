import type { EventStore } from '@banli/event-store';
import { type CallHandler, Controller, type ExecutionContext, Get, Header, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { type Observable, tap } from 'rxjs';
import { Public } from './auth';
import type { CommandResult } from './proposal-commands.service';
import { EVENT_STORE } from './tokens';

/** One Prometheus registry per process. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly requestSeconds = new Histogram({
    name: 'banli_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly commands = new Counter({
    name: 'banli_commands_total',
    help: 'Proposal commands by type and outcome',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });

  /** Messages a consumer refused: they carried personal data where no personal field is (forged, or corrupt). */
  readonly refusedMessages = new Counter({
    name: 'banli_bus_messages_refused_total',
    help: 'Bus messages refused by a consumer, by reason',
    labelNames: ['consumer', 'reason'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  recordCommand(type: string, outcome: 'recorded' | 'no-op' | 'refused'): void {
    this.commands.inc({ type, outcome });
  }

  /** Command outcomes, counted where commands are executed. */
  observe(type: string, result: CommandResult | undefined, error?: unknown): void {
    if (error) this.recordCommand(type, 'refused');
    else this.recordCommand(type, result && result.events.length > 0 ? 'recorded' : 'no-op');
  }
}

@Injectable()
export class RequestMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: Metrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const started = process.hrtime.bigint();
    const request = context.switchToHttp().getRequest<{ method: string; routeOptions?: { url?: string } }>();
    const reply = context.switchToHttp().getResponse<{ statusCode: number }>();
    const observe = (status: number) =>
      this.metrics.requestSeconds.observe(
        { method: request.method, route: request.routeOptions?.url ?? 'unknown', status: String(status) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    return next.handle().pipe(
      tap({
        next: () => observe(reply.statusCode),
        error: (error: { status?: number; statusCode?: number }) => observe(error?.status ?? error?.statusCode ?? 500),
      }),
    );
  }
}

@ApiExcludeController()
@Controller()
export class ObservabilityHttpController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly metrics: Metrics,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Public()
  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([() => this.storeHealth()]);
  }

  @Public()
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  private async storeHealth(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('eventStore');
    try {
      await this.store.ping();
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
