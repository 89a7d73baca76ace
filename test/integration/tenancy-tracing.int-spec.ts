import { randomBytes } from 'node:crypto';
import { AppProcess, http } from '../support/app-process';
import { OtlpReceiver } from '../support/otlp-receiver';
import { resetTestDatabase } from '../support/test-database';

jest.setTimeout(60_000);

const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Tenancy on, traced (docs/tenancy.md): the request's tenant is a span attribute, `tenant.id`. */
describe('tenancy: the tenant on the trace (real process, OTLP/HTTP)', () => {
  const receiver = new OtlpReceiver();
  let app: AppProcess;
  const traceId = randomBytes(16).toString('hex');

  beforeAll(async () => {
    await resetTestDatabase(databaseUrl);
    await receiver.start();
    app = await AppProcess.start(
      {
        DATABASE_URL: databaseUrl,
        TENANT_CLAIM: 'tenant_id',
        OTEL_SDK_DISABLED: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        // Batches would wait a minute: only the flush at shutdown can deliver the spans.
        OTEL_BSP_SCHEDULE_DELAY: '60000',
        SHUTDOWN_DELAY_SECONDS: '0',
      },
      { instrumented: true },
    );
    const listed = await http(app.port, '/items?limit=3', {
      headers: {
        ...app.authHeader({ scope: 'items:read', tenant_id: 'traced-tenant' }),
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
    });
    expect(listed.status).toBe(200);
    app.signal('SIGTERM');
    expect(await app.exited).toBe(0);
  });
  afterAll(async () => {
    await app?.kill();
    await receiver.stop();
  });

  it('sets tenant.id on a span of the request’s trace', () => {
    const tagged = receiver.spans.filter((span) => span.traceId === traceId && span.attributes['tenant.id'] !== undefined);
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.map((span) => span.attributes['tenant.id'])).toEqual(tagged.map(() => 'traced-tenant'));
  });
});
