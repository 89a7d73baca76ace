import { Controller, Get, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { bootTestApp, type TestApp } from '../support/test-app';

const PERSONAL = 'jane.doe@example.org';

@Controller('test-database-logging')
class FailingQueryController {
  constructor(private readonly dataSource: DataSource) {}

  /** A parameterised query that fails in the database, as a failing insert of personal data would. */
  @Get('failing-query')
  async failingQuery(): Promise<unknown> {
    return this.dataSource
      .createQueryBuilder()
      .select('missing.id')
      .from('no_such_table', 'missing')
      .where('missing.email = :email', { email: PERSONAL })
      .getRawMany();
  }
}

@Module({ controllers: [FailingQueryController] })
class FailingQueryModule {}

/**
 * TypeORM's logs and errors go through pino (JSON, context `Database`) and
 * never carry a query's parameters: not in TypeORM's own line, not in the 500's
 * error line, not on the console (TypeORM's default loggers print there).
 */
describe('TypeORM logging (e2e)', () => {
  let t: TestApp;
  const consoleLines: string[] = [];
  const spies: jest.SpyInstance[] = [];
  beforeAll(async () => {
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      spies.push(
        jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleLines.push(args.map(String).join(' '))),
      );
    }
    t = await bootTestApp({ LOG_LEVEL: 'debug' }, { after: [FailingQueryModule] });
  });
  afterAll(async () => {
    await t.close();
    for (const spy of spies) spy.mockRestore();
  });

  it('a failing parameterised query: a 500, logged as JSON with the query and the parameter count, never the values', async () => {
    const from = t.logs.rawLines.length;
    const response = await t.app.inject({ method: 'GET', url: '/test-database-logging/failing-query', headers: t.authHeader() });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain(PERSONAL);

    const lines = t.logs.lines.slice(from);
    const failed = lines.find((line) => line.msg === 'Query failed');
    expect(failed).toMatchObject({
      level: 'debug',
      context: 'Database',
      parameterCount: 1,
      query: expect.stringContaining('no_such_table'),
    });
    const unhandled = lines.find((line) => line.msg === 'Unhandled error while serving a request');
    expect(unhandled).toMatchObject({ level: 'error', err: expect.objectContaining({ parameters: '[redacted]' }) });

    expect(t.logs.rawLines.slice(from).filter((line) => line.includes(PERSONAL))).toEqual([]);
    expect(consoleLines.filter((line) => line.includes(PERSONAL) || line.includes('no_such_table'))).toEqual([]);
  });
});
