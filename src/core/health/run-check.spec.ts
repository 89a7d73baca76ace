import { HealthIndicatorService } from '@nestjs/terminus';
import { runCheck, withoutDetails } from './run-check';

const indicator = new HealthIndicatorService();

describe('runCheck', () => {
  it('reports up with the indicator details, critical by default', async () => {
    const outcome = await runCheck({ name: 'disk', check: async () => indicator.check('disk').up({ freeBytes: 10 }) }, 1);
    expect(outcome).toEqual({ status: 'up', critical: true, durationMs: expect.any(Number), details: { freeBytes: 10 } });
    expect(withoutDetails(outcome)).toEqual({ status: 'up', critical: true });
  });

  it('reports down for a Terminus down result, a rejection, a synchronous throw and a timeout', async () => {
    const down = await runCheck({ name: 'api', critical: false, check: async () => indicator.check('api').down('no route to host') }, 1);
    expect(down).toMatchObject({ status: 'down', critical: false, error: 'no route to host' });
    const rejected = await runCheck({ name: 'db', check: () => Promise.reject(new Error('refused')) }, 1);
    expect(rejected).toMatchObject({ status: 'down', error: 'refused' });
    const thrown = await runCheck(
      {
        name: 'sync',
        check: () => {
          throw new Error('boom');
        },
      },
      1,
    );
    expect(thrown).toMatchObject({ status: 'down', error: 'boom' });
    const slow = await runCheck({ name: 'slow', timeoutSeconds: 0.01, check: () => new Promise(() => undefined) }, 5);
    expect(slow).toMatchObject({ status: 'down', error: 'timed out after 0.01 s' });
  });
});
