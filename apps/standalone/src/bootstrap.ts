import 'reflect-metadata';
import { type BanliConfig, banliValidationPipe } from '@banli/platform';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { StandaloneModule } from './standalone.module';

export interface AppOptions {
  readonly clock?: () => Date;
  readonly logger?: false | ('log' | 'error' | 'warn')[];
}

/** Builds the standalone application; `main.ts` listens with it, the end-to-end specs drive it. */
export async function createApp(config: BanliConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    // Refuse prototype-pollution keys in JSON bodies outright (a 400), rather than strip them.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  const app = await NestFactory.create<NestFastifyApplication>(StandaloneModule.forRoot(config, options.clock), adapter, {
    logger: options.logger ?? ['log', 'error', 'warn'],
    bufferLogs: false,
  });
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(banliValidationPipe());
  app.enableShutdownHooks();
  setupOpenApi(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

function setupOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Banli')
      .setDescription('Handling NPC deputies’ suggestions and CPPCC members’ proposals: the HTTP contract, v1')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
