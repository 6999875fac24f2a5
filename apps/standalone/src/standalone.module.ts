import { AssignmentModule } from '@banli/assignment';
import { type BanliConfig, PlatformModule } from '@banli/platform';
import { type DynamicModule, Module } from '@nestjs/common';

/** All four services in one process, on the embedded adapters (SQLite store, in-process bus). */
@Module({})
export class StandaloneModule {
  static forRoot(config: BanliConfig, clock?: () => Date): DynamicModule {
    return {
      module: StandaloneModule,
      imports: [PlatformModule.forRoot({ config, ...(clock ? { clock } : {}) }), AssignmentModule],
    };
  }
}
