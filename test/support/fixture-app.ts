import { FixtureModule } from './fixture/fixture.module';
import { bootTestApp, type TestApp } from './test-app';

/**
 * Like `bootTestApp`, with the test-only {@link FixtureModule} mounted next to
 * the real AppModule: the chassis is the one `createApp` builds.
 */
export function bootFixtureApp(env: Record<string, string> = {}): Promise<TestApp> {
  return bootTestApp(env, { after: [FixtureModule] });
}
