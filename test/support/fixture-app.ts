import { Module, type DynamicModule } from '@nestjs/common';
import { AppModule } from '../../src/app.module';
import { createApp } from '../../src/core/bootstrap/create-app';
import { LogCapture } from './log-capture';
import { FixtureModule } from './fixture/fixture.module';
import { baseTestEnv, type TestApp } from './test-app';
import { resetTestDatabase } from './test-database';

@Module({})
class FixtureRootModule {}

/**
 * Like `bootTestApp`, with the test-only {@link FixtureModule} mounted next to
 * the real AppModule: the chassis is the one `createApp` builds.
 */
export async function bootFixtureApp(env: Record<string, string> = {}): Promise<TestApp> {
  const merged = { ...baseTestEnv(), ...env };
  await resetTestDatabase(merged.DATABASE_URL);
  const logs = new LogCapture();
  const app = await createApp(
    (options): DynamicModule => ({ module: FixtureRootModule, imports: [AppModule.register(options), FixtureModule] }),
    { env: merged, logDestination: logs },
  );
  await app.getHttpAdapter().getInstance().ready();
  return { app, logs, close: () => app.close() };
}
