import type { ItemProjection } from '@banli/read-model';
import 'reflect-metadata';
import { type DynamicModule, type INestApplication, Logger, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { sealedLookingPath } from '@banli/domain';
import secureJson from 'secure-json-parse';
import { HttpProblem, problem } from './problem';
import { type BanliConfig, loadConfig } from './banli.config';
import { TokenVerifier } from './auth';
import { banliServerFactory, clientErrorAnswer, hardenHttpEdge } from './http.edge';
import { JsonLogger } from './json.logger';
import { serveConsole } from './console.static';
import { PlatformModule } from './platform.module';
import { banliValidationPipe } from './validation';

export interface BanliAppOptions {
  /** Names the process in its logs and its OpenAPI title. */
  readonly service: string;
  /** The HTTP edge's settings: timeouts, connection cap, rate limit, who may read /metrics and /api/docs. */
  readonly config: BanliConfig;
  /** `false` silences the process (tests); otherwise logs are JSON lines. */
  readonly logger?: false;
  /** Serve the web console at `/` (the standalone service). */
  readonly console?: boolean;
}

/** Builds a Banli HTTP application around a root module: the standalone service or one distributed service. */
export async function createBanliApp(root: DynamicModule, options: BanliAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    serverFactory: banliServerFactory(options.config.http),
    clientErrorHandler: clientErrorAnswer,
    // Per-request JSON logs (pino) on demand: they cost throughput.
    logger: process.env.BANLI_LOG_REQUESTS === 'true' && options.logger !== false,
    // Refuse prototype-pollution keys in JSON bodies outright (a 400), rather than strip them.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Errors Fastify meets before any route (a URL that does not decode, a bad header) are problems too.
    frameworkErrors: (error: Error, _request: unknown, reply: FastifyReply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      void reply
        .status(status)
        .header('content-type', 'application/problem+json; charset=utf-8')
        .send(problem(status, status === 400 ? 'MALFORMED_REQUEST' : 'BAD_REQUEST', error.message));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger: options.logger === false ? false : new JsonLogger(`banli-${options.service}`),
    bufferLogs: false,
    // A provider that fails (a secret file cut short) throws to the caller, which prints why and exits 1,
    // rather than Nest exiting on its own with the reason left out.
    abortOnError: false,
    // The body parser is Banli's own (acceptJsonOnly): JSON only, depth-limited, prototype-safe.
    bodyParser: false,
  });
  acceptJsonOnly(app);
  await hardenHttpEdge(app, options.config, app.get(TokenVerifier));
  if (options.console && options.config.consoleDir !== undefined && !(await serveConsole(app, options.config.consoleDir))) {
    new Logger('console').warn({ msg: 'no console build here: the API runs alone (npm run build builds it)', consoleDir: options.config.consoleDir });
  }
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(banliValidationPipe());
  app.enableShutdownHooks();
  setupOpenApi(app, options.service);
  try {
    await app.init();
  } catch (error) {
    // A start-up check failed: what did start (the store, subscriptions, timers) is stopped again.
    await app.close().catch(() => undefined);
    throw error;
  }
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** Starts one service of the distributed deployment: the platform and the service's feature module. */
export async function runService(service: string, feature: Type, projections: readonly ItemProjection[]): Promise<void> {
  try {
    const config = loadConfig({ ...process.env, BANLI_SERVICE: process.env.BANLI_SERVICE ?? service });
    @Module({})
    class ServiceModule {}
    const root: DynamicModule = { module: ServiceModule, imports: [PlatformModule.forRoot({ config, projections }), feature] };
    const app = await createBanliApp(root, { service: config.service, config });
    await app.listen(config.port, config.http.host);
    new Logger('main').log({ msg: 'listening', service: config.service, port: config.port, bus: config.bus, eventStore: config.eventStore.kind });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

const MAX_JSON_DEPTH = 64;

/**
 * The contract is JSON in and out: every other body is refused (415). JSON nested deeper than any
 * Banli document is refused before parsing (400), since a deep enough document overflows the parser's stack.
 */
function acceptJsonOnly(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(null, undefined);
    if (nestingDepth(text) > MAX_JSON_DEPTH) return done(Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), { statusCode: 400 }), undefined);
    let parsed: unknown;
    try {
      parsed = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (error) {
      return done(Object.assign(new Error(`The body is not valid JSON: ${(error as Error).message}`), { statusCode: 400 }), undefined);
    }
    // No request may carry a sealed personal-data value: whatever field it is pasted into, it is refused.
    const sealed = sealedLookingPath(parsed);
    if (sealed !== undefined) {
      return done(new HttpProblem(400, 'SEALED_VALUE_IN_INPUT', `The body carries a sealed personal-data value at ${sealed}; send the value itself, or nothing`, { field: sealed }), undefined);
    }
    done(null, parsed);
  });
}

function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

function setupOpenApi(app: INestApplication, service: string): void {
  SwaggerModule.setup('api/docs', app, openApiDocument(app, service), { jsonDocumentUrl: 'api/docs-json' });
}

/** The HTTP contract as an OpenAPI document, read from the application's routes and DTOs (the console's client is generated from it). */
export function openApiDocument(app: INestApplication, service: string) {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(service === 'standalone' ? 'Banli' : `Banli — ${service}`)
      .setDescription('Handling NPC deputies’ suggestions and CPPCC members’ proposals: the HTTP contract, v1')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  // A header read with @Headers() is documented as required; none of Banli's is (If-Match pins a revision when sent, Accept picks a format).
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations as Record<string, { parameters?: { in: string; required?: boolean }[] }>)) {
      for (const parameter of operation.parameters ?? []) if (parameter.in === 'header') parameter.required = false;
    }
  }
  return document;
}
