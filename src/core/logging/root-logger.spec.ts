import pino, { type DestinationStream } from 'pino';
import { loadConfig } from '../settings/load-config';
import { REDACTED, redactionPaths } from './redact';
import { createRootLogger } from './root-logger';

/** A destination that keeps every line, with the timestamp made constant so two loggers' lines compare byte for byte. */
function capture(): DestinationStream & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line.replace(/"time":"[^"]+"/, '"time":"T"')) };
}

describe('createRootLogger', () => {
  const config = loadConfig({ NODE_ENV: 'test', LOG_FORMAT: 'json', LOG_REDACT_PATHS: '*.password,*.secret,*.token' });
  const entry = {
    text: 'quote " newline \n separator \u2028 é',
    number: 1.5,
    notFinite: Number.NaN,
    flag: true,
    nothing: null,
    skipped: undefined,
    password: 'top-level keys are not under a wildcard path',
    req: { headers: { authorization: 'Bearer abc', cookie: 'c=1', accept: 'application/json' } },
    nested: { password: 'p', inner: { headers: { 'x-api-key': 'k' } }, token: 't' },
    list: [{ secret: 's' }, 'plain'],
  };

  it('writes exactly what pino with the same redaction writes (primitives skip the redactor, objects do not)', () => {
    const ours = capture();
    const reference = capture();
    const referenceLogger = pino(
      {
        level: config.logging.level,
        base: { service: config.app.serviceName, version: config.app.version },
        timestamp: pino.stdTimeFunctions.isoTime,
        messageKey: 'msg',
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: redactionPaths(config.logging.redactPaths), censor: REDACTED },
      },
      reference,
    );
    const logger = createRootLogger(config, ours);
    for (const target of [logger, logger.child({ requestId: 'r"1', headers: { authorization: 'Bearer x' } })])
      target.info(entry, 'message');
    for (const target of [referenceLogger, referenceLogger.child({ requestId: 'r"1', headers: { authorization: 'Bearer x' } })]) {
      target.info(entry, 'message');
    }

    expect(ours.lines).toEqual(reference.lines);
    const line = JSON.parse(ours.lines[1]) as {
      headers: Record<string, string>;
      req: { headers: Record<string, string> };
      nested: unknown;
      text: string;
      notFinite: unknown;
    };
    expect(line.headers.authorization).toBe(REDACTED);
    expect(line.req.headers).toEqual({ authorization: REDACTED, cookie: REDACTED, accept: 'application/json' });
    expect(line.nested).toEqual({ password: REDACTED, inner: { headers: { 'x-api-key': REDACTED } }, token: REDACTED });
    expect(line.text).toBe(entry.text);
    expect(line.notFinite).toBeNull();
    expect(entry.req.headers.authorization).toBe('Bearer abc'); // the logged object itself is never changed
  });
});
