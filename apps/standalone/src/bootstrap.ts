import { type BanliConfig, createBanliApp } from '@banli/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { StandaloneModule } from './standalone.module';

export interface AppOptions {
  readonly clock?: () => Date;
  /** `false` silences the service (tests); otherwise logs are JSON lines. */
  readonly logger?: false;
}

/** Builds the standalone application; `main.ts` listens with it, the end-to-end specs drive it. */
export function createApp(config: BanliConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  return createBanliApp(StandaloneModule.forRoot(config, options.clock), { service: 'standalone', config, console: true, ...(options.logger === false ? { logger: false } : {}) });
}
