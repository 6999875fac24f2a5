/**
 * The feedback service of the distributed deployment: evaluation, re-handling, commitments, publication, statistics and public replies.
 * Run with BANLI_SERVICE=feedback, BANLI_BUS=kafka and KAFKA_BROKERS (see README, "The distributed deployment").
 */
import { FeedbackModule } from '@banli/feedback';
import { createBanliApp, loadConfig, PlatformModule } from '@banli/platform';
import { type DynamicModule, Logger, Module } from '@nestjs/common';

@Module({})
class ServiceModule {
  static forRoot(config: ReturnType<typeof loadConfig>): DynamicModule {
    return { module: ServiceModule, imports: [PlatformModule.forRoot({ config }), FeedbackModule] };
  }
}

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, BANLI_SERVICE: process.env.BANLI_SERVICE ?? 'feedback' });
  const app = await createBanliApp(ServiceModule.forRoot(config), { service: config.service });
  await app.listen(config.port, '0.0.0.0');
  new Logger('main').log({ msg: 'listening', service: config.service, port: config.port, bus: config.bus, eventStore: config.eventStore.kind });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
