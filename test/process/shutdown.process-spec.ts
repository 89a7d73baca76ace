import { Agent, request as httpRequest, type ClientRequest } from 'node:http';
import { connect } from 'node:net';
import { SHUTDOWN_MESSAGES } from '../../src/core/lifecycle/graceful-shutdown';
import { AppProcess, http, type HttpResult } from '../support/app-process';

jest.setTimeout(60_000);

const message = (text: string) => (line: Record<string, unknown>) => line.msg === text;

/**
 * A POST /items whose body is sent in two parts: the request stays in flight until `finish()`.
 * `received` settles when the server has parsed the headers and dispatched the request: it asks
 * `Expect: 100-continue`, which Node's server answers just before it emits the request (RFC 9110 §10.1.1).
 */
function slowUpload(
  port: number,
  sku: string,
  auth: { authorization: string },
): { finish: () => void; received: Promise<void>; response: Promise<HttpResult> } {
  const body = JSON.stringify({ sku, name: 'Slow upload', priceCents: 100, currency: 'EUR' });
  let req!: ClientRequest;
  const response = new Promise<HttpResult>((resolve, reject) => {
    req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/items',
        method: 'POST',
        agent: false,
        headers: { ...auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
  });
  const received = new Promise<void>((resolve) => req.once('continue', () => resolve()));
  req.write(body.slice(0, 10));
  return { finish: () => req.end(body.slice(10)), received, response };
}

/** Outcome of one load request: its status, or the socket error code when no response came. */
type Outcome = { agent: string; status?: number; error?: string; sentAfterSignal: boolean };

describe('graceful shutdown (real process)', () => {
  let app: AppProcess | undefined;
  afterEach(async () => app?.kill());

  it('drains under load: readiness 503, in-flight requests complete, no new connection, exit 0', async () => {
    // Rate limiting off: the load below is far above the default limits, and this test is about draining.
    app = await AppProcess.start({
      DATABASE_URL: 'sqlite::memory:',
      SHUTDOWN_DELAY_SECONDS: '1.5',
      SHUTDOWN_TIMEOUT_SECONDS: '20',
      RATE_LIMIT_ENABLED: 'false',
    });
    const { port } = app;
    const auth = app.authHeader({ sub: 'loader', scope: 'items:read items:write' });

    // An idle keep-alive connection: the server must close it, not wait for it.
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await http(port, '/health/live', { agent: keepAlive })).status).toBe(200);
    const idleSocketClosed = new Promise<void>((resolve) => {
      const [socket] = Object.values(keepAlive.freeSockets).flat();
      socket!.on('close', () => resolve());
    });

    // Requests that are in flight for the whole drain: their bodies are completed at the very end.
    const uploads = ['slow-1', 'slow-2', 'slow-3'].map((sku) => slowUpload(port, sku, auth));
    await Promise.all(uploads.map((upload) => upload.received));

    // Load: 4 workers, a new connection per request, until the server refuses connections (bounded).
    let signalled = false;
    const outcomes: Outcome[] = [];
    // Each request has its own User-Agent, so its access-log line can be found.
    const worker = async (n: number) => {
      for (let i = 0; i < 5000; i++) {
        const sentAfterSignal = signalled;
        const agent = `load-${n}-${i}`;
        try {
          const result = await http(port, '/items?limit=1', { headers: { ...auth, 'user-agent': agent } });
          outcomes.push({ agent, status: result.status, sentAfterSignal });
        } catch (error) {
          outcomes.push({ agent, error: (error as NodeJS.ErrnoException).code, sentAfterSignal });
          if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') return;
        }
      }
    };
    const workers = Promise.all([0, 1, 2, 3].map(worker));
    while (outcomes.length < 20) await new Promise((resolve) => setTimeout(resolve, 10));

    app.signal('SIGTERM');
    signalled = true;
    await app.waitForLine(message(SHUTDOWN_MESSAGES.started));

    // Readiness fails at once, while the server still serves.
    const readiness = await http(port, '/health/ready');
    expect(readiness.status).toBe(503);
    expect(JSON.parse(readiness.body)).toEqual({ status: 'shutting_down', checks: {} });
    expect((await http(port, '/health/live')).status).toBe(200);
    expect(app.withMessage(SHUTDOWN_MESSAGES.closing)).toHaveLength(0);

    // After the delay the listener closes: new connections are refused, idle keep-alive ones closed...
    await app.waitForLine(message(SHUTDOWN_MESSAGES.closing));
    await idleSocketClosed;
    await expect(
      new Promise((resolve, reject) => connect(port, '127.0.0.1').on('connect', resolve).on('error', reject)),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await workers;

    // ...while the in-flight uploads are still being served: they complete normally.
    expect(app.withMessage(SHUTDOWN_MESSAGES.complete)).toHaveLength(0);
    for (const upload of uploads) upload.finish();
    const responses = await Promise.all(uploads.map((upload) => upload.response));
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);

    expect(await app.exited).toBe(0);
    expect(app.withMessage(SHUTDOWN_MESSAGES.complete)).toHaveLength(1);
    // Every load request the server received was answered normally (200, with its access-log line), and
    // some were served during the delay. The others never reached it: refused at connect, or reset when
    // the listener closed before their first byte was read (Node closes such not-yet-active connections
    // as idle; the delay exists so that load balancers send none by then).
    const logged = new Set(app.withMessage('request completed').map((line) => line.userAgent));
    expect(outcomes.filter((o) => o.status !== undefined && (o.status !== 200 || !logged.has(o.agent)))).toEqual([]);
    const failed = outcomes.filter((o) => o.error !== undefined);
    expect(failed.filter((o) => !['ECONNREFUSED', 'ECONNRESET'].includes(o.error!) || !o.sentAfterSignal || logged.has(o.agent))).toEqual(
      [],
    );
    expect(outcomes.filter((o) => o.sentAfterSignal && o.status === 200).length).toBeGreaterThan(0);
    // The access log of the drained requests reached stdout before exit (logs flushed).
    expect(app.withMessage('request completed').filter((line) => line.route === '/items' && line.method === 'POST')).toHaveLength(3);
    keepAlive.destroy();
  });

  it('keep-alive clients under load lose no request: responses during the drain carry Connection: close', async () => {
    app = await AppProcess.start({
      DATABASE_URL: 'sqlite::memory:',
      SHUTDOWN_DELAY_SECONDS: '1.5',
      SHUTDOWN_TIMEOUT_SECONDS: '20',
      RATE_LIMIT_ENABLED: 'false',
    });
    const { port } = app;
    const auth = app.authHeader({ sub: 'keep-alive', scope: 'items:read' });
    type KeepAliveOutcome = { status?: number; error?: string; reused: boolean; connection?: string; sentAfterSignal: boolean };
    const outcomes: KeepAliveOutcome[] = [];
    let signalled = false;

    /** One request on `agent`'s single keep-alive socket; `reused` tells whether it went out on a socket that had served one before. */
    const send = (agent: Agent) =>
      new Promise<KeepAliveOutcome>((resolve) => {
        const sentAfterSignal = signalled;
        const req = httpRequest({ host: '127.0.0.1', port, path: '/items?limit=1', headers: auth, agent }, (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode, reused: req.reusedSocket, connection: res.headers.connection, sentAfterSignal }),
          );
        });
        req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code, reused: req.reusedSocket, sentAfterSignal }));
        req.end();
      });

    // Load: 8 keep-alive clients, one socket each, until the server refuses connections (bounded).
    const agents = Array.from({ length: 8 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    const workers = Promise.all(
      agents.map(async (agent) => {
        for (let i = 0; i < 5000; i++) {
          const outcome = await send(agent);
          outcomes.push(outcome);
          if (outcome.error === 'ECONNREFUSED') return;
        }
      }),
    );
    while (outcomes.length < 40) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(outcomes.filter((o) => o.reused).length).toBeGreaterThan(0); // the sockets really are kept alive

    app.signal('SIGTERM');
    signalled = true;
    await workers;
    expect(await app.exited).toBe(0);
    for (const agent of agents) agent.destroy();

    // No request sent on a kept-alive connection failed, and every answer was a 200.
    expect(outcomes.filter((o) => o.error !== undefined && o.reused)).toEqual([]);
    expect(outcomes.filter((o) => o.status !== undefined && o.status !== 200)).toEqual([]);
    // Only the end of the load failed, on fresh connections: refused at connect once the listener had
    // closed, or reset when it closed before their first byte was read (as in the test above; Node closes
    // such not-yet-active connections as idle, and load balancers send none by then).
    expect(
      outcomes.filter((o) => o.error !== undefined && (!['ECONNREFUSED', 'ECONNRESET'].includes(o.error) || !o.sentAfterSignal)),
    ).toEqual([]);
    const drained = outcomes.filter((o) => o.sentAfterSignal && o.status === 200);
    expect(drained.length).toBeGreaterThan(0);
    // Keep-alive is offered until the signal and withdrawn during the drain (requests sent just after the
    // signal may still be answered before the process has received it).
    expect(outcomes.filter((o) => !o.sentAfterSignal && o.connection === 'close')).toEqual([]);
    expect(drained.filter((o) => o.connection === 'close').length).toBeGreaterThan(0);
  });

  it('exits 1 with a log line on a second signal', async () => {
    app = await AppProcess.start({ DATABASE_URL: 'sqlite::memory:', SHUTDOWN_DELAY_SECONDS: '30' });
    app.signal('SIGTERM');
    await app.waitForLine(message(SHUTDOWN_MESSAGES.started));
    app.signal('SIGINT');
    expect(await app.exited).toBe(1);
    expect(app.withMessage(SHUTDOWN_MESSAGES.secondSignal)).toHaveLength(1);
  });

  it('exits 1 with a log line when in-flight requests outlast SHUTDOWN_TIMEOUT_SECONDS', async () => {
    app = await AppProcess.start({ DATABASE_URL: 'sqlite::memory:', SHUTDOWN_DELAY_SECONDS: '0', SHUTDOWN_TIMEOUT_SECONDS: '1' });
    const stuck = slowUpload(app.port, 'never-finished', app.authHeader({ scope: 'items:write' }));
    stuck.response.catch(() => undefined);
    // Signalled only once the server holds the request: before that it is not in flight, and exit 0 is right.
    await stuck.received;
    app.signal('SIGTERM');
    expect(await app.exited).toBe(1);
    expect(app.withMessage(SHUTDOWN_MESSAGES.timedOut)).toHaveLength(1);
    expect(app.withMessage(SHUTDOWN_MESSAGES.complete)).toHaveLength(0);
  });

  it('aborts requests stuck at the timeout, says how many, and exits 1 within SHUTDOWN_TIMEOUT_SECONDS', async () => {
    app = await AppProcess.start({ DATABASE_URL: 'sqlite::memory:', SHUTDOWN_DELAY_SECONDS: '0', SHUTDOWN_TIMEOUT_SECONDS: '3' });
    const auth = app.authHeader({ scope: 'items:write' });
    const stuck = [slowUpload(app.port, 'stuck-1', auth), slowUpload(app.port, 'stuck-2', auth)];
    const outcomes = stuck.map((upload) =>
      upload.response.then(
        (result) => `status ${result.status}`,
        (error: NodeJS.ErrnoException) => error.code ?? error.message,
      ),
    );
    await Promise.all(stuck.map((upload) => upload.received));
    const signalledAt = Date.now();
    app.signal('SIGTERM');
    expect(await app.exited).toBe(1);
    // Aborted 1 s before the 3 s timeout; the margin is for a loaded machine.
    expect(Date.now() - signalledAt).toBeLessThan(3000 + 2000);
    const [aborting] = app.withMessage(SHUTDOWN_MESSAGES.aborting);
    expect(aborting).toMatchObject({ abortedRequests: 2, timeoutSeconds: 3 });
    expect(app.withMessage(SHUTDOWN_MESSAGES.aborting)).toHaveLength(1);
    expect(app.withMessage(SHUTDOWN_MESSAGES.timedOut)).toEqual([expect.objectContaining({ abortedRequests: 2 })]);
    expect(app.withMessage(SHUTDOWN_MESSAGES.complete)).toHaveLength(0);
    // The stuck clients see their connection closed, not an answer.
    for (const outcome of await Promise.all(outcomes)) expect(outcome).not.toMatch(/^status/);
  });
});
