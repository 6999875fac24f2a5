import { AccountsModule } from '@banli/accounts';
import { AssignmentModule } from '@banli/assignment';
import { CoHandlingModule } from '@banli/co-handling';
import { FeedbackModule } from '@banli/feedback';
import { SupervisionModule } from '@banli/supervision';
import { type BanliConfig, PlatformModule } from '@banli/platform';
import { type DynamicModule, Module } from '@nestjs/common';
import { ImportsHttpController } from './imports.http.controller';
import { STANDALONE_PROJECTIONS } from './read-projections';

/** All four services in one process, with local accounts for the console, on the embedded adapters (SQLite store, in-process bus). */
@Module({})
export class StandaloneModule {
  static forRoot(config: BanliConfig, clock?: () => Date): DynamicModule {
    return {
      module: StandaloneModule,
      // Importing from a legacy system writes to the store directly: the embedded default's, like `banli import`.
      controllers: [ImportsHttpController],
      imports: [PlatformModule.forRoot({ config, projections: STANDALONE_PROJECTIONS, ...(clock ? { clock } : {}) }), AssignmentModule, CoHandlingModule, SupervisionModule, FeedbackModule, AccountsModule],
    };
  }
}
