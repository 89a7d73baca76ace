import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type LineSink, TurnBatchedDestination } from './turn-batched-destination';

const ROOT = join(__dirname, '..', '..', '..');

/** Resolves after the callbacks already queued with `setImmediate` (the destination's flush among them). */
const endOfTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TurnBatchedDestination', () => {
  let dir: string;
  let file: string;
  let sink: LineSink;
  let writes: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'turn-batched-'));
    file = join(dir, 'out.log');
    // A real SonicBoom writing a file, as in production; the wrapper records what it is handed.
    const sonicBoom = pino.destination({ dest: file, sync: true, contentMode: 'buffer' });
    writes = [];
    sink = {
      write: (data) => {
        writes.push(data.toString('utf8'));
        return sonicBoom.write(data as unknown as string); // pino's types know only the utf8 content mode
      },
      flushSync: () => sonicBoom.flushSync(),
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the lines of one turn with one write at the end of the turn, in order', async () => {
    const destination = new TurnBatchedDestination(sink);
    destination.write('{"n":1}\n');
    destination.write('{"n":2}\n');
    destination.write('{"n":3}\n');
    expect(readFileSync(file, 'utf8')).toBe('');

    await endOfTurn();
    expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n']);

    destination.write('{"n":4}\n');
    await endOfTurn();
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n', '{"n":4}\n']);
    expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n');
  });

  it('flushSync writes the pending lines before it returns, and the turn then has nothing left to write', async () => {
    const destination = new TurnBatchedDestination(sink);
    destination.write('{"n":1}\n');
    destination.flushSync();
    expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n');
    await endOfTurn();
    expect(writes).toEqual(['{"n":1}\n']);
  });

  it('carries every line of a pino logger, none split or reordered', async () => {
    const logger = pino({ base: undefined, timestamp: false }, new TurnBatchedDestination(sink));
    for (let n = 0; n < 200; n++) logger.info({ n }, 'line');
    await endOfTurn();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { n: number }).n)).toEqual([...Array(200).keys()]);
    expect(writes).toHaveLength(1);
  });

  it('writes the lines of the turn in which the process dies of an uncaught exception', () => {
    // A real process: the 'exit' listener is what saves the last lines.
    const script = `
      const pino = require('pino');
      const { TurnBatchedDestination } = require('./src/core/logging/turn-batched-destination');
      const logger = pino({ base: undefined, timestamp: false }, new TurnBatchedDestination(pino.destination({ dest: 1, sync: true })));
      logger.info('first');
      setTimeout(() => {
        logger.info('last before the crash');
        throw new Error('boom');
      }, 10);
    `;
    const child = spawnSync(process.execPath, ['--require', 'ts-node/register/transpile-only', '--eval', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain('Error: boom');
    expect(
      child.stdout
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { msg: string }).msg),
    ).toEqual(['first', 'last before the crash']);
  });
});
