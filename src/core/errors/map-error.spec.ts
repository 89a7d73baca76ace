import { BadRequestException, HttpException, InternalServerErrorException } from '@nestjs/common';
import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { ConflictError, NotFoundError } from './domain-errors';
import { markDatabaseError } from './dependency-faults';
import { mapError } from './map-error';
import { ProblemException } from './problem.exception';

describe('mapError', () => {
  it('renders a ProblemException as given', () => {
    const problem = { status: 429, detail: 'slow down', headers: { 'retry-after': '3' } };
    expect(mapError(new ProblemException(problem))).toEqual({ problem, serverFault: false });
  });

  it('maps domain errors to their status and type', () => {
    expect(mapError(new NotFoundError('gone')).problem).toMatchObject({ status: 404, detail: 'gone' });
    expect(mapError(new ConflictError('taken')).problem).toMatchObject({ status: 409, type: expect.stringContaining('conflict') });
  });

  it('keeps a client HttpException message, joins arrays, hides 5xx messages', () => {
    expect(mapError(new BadRequestException('bad id')).problem.detail).toBe('bad id');
    expect(mapError(new BadRequestException(['a', 'b'])).problem.detail).toBe('a; b');
    const fault = mapError(new InternalServerErrorException('db password is hunter2'));
    expect(fault.serverFault).toBe(true);
    expect(fault.problem.detail).not.toContain('hunter2');
    expect(mapError(new HttpException({ other: 1 }, 418)).problem.detail).toBe('Http Exception');
  });

  it('maps TypeORM not-found and constraint violations (PostgreSQL and SQLite codes)', () => {
    expect(mapError(new EntityNotFoundError('Item', {})).problem.status).toBe(404);
    const pg = new QueryFailedError('INSERT', [], Object.assign(new Error('duplicate key'), { code: '23505' }));
    expect(mapError(pg).problem.status).toBe(409);
    const sqlite = new QueryFailedError('INSERT', [], Object.assign(new Error('UNIQUE'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }));
    expect(mapError(sqlite).problem.status).toBe(409);
    const other = new QueryFailedError('SELECT', [], Object.assign(new Error('syntax'), { code: '42601' }));
    expect(mapError(other)).toMatchObject({ serverFault: true, problem: { status: 500 } });
  });

  it('turns anything else into an opaque 500', () => {
    expect(mapError('a string')).toMatchObject({ serverFault: true, problem: { status: 500 } });
    expect(mapError(new TypeError('x is undefined')).problem.detail).not.toContain('undefined');
  });
});

describe('mapError: a dependency down is a 503 outage, not a 500', () => {
  it('treats a chassis 503 problem as an outage named after its type', () => {
    const problem = { status: 503, type: 'tag:nest-chassis,2026:problems/rate-limit-unavailable', headers: { 'retry-after': '5' } };
    expect(mapError(new ProblemException(problem))).toEqual({ problem, serverFault: false, outage: 'rate-limit-unavailable' });
  });

  it('maps lost or unobtainable database connections to database-unavailable with Retry-After', () => {
    const reset = new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly'));
    expect(mapError(reset)).toMatchObject({
      serverFault: false,
      outage: 'database:connection-reset',
      problem: { status: 503, type: expect.stringContaining('database-unavailable'), headers: { 'Retry-After': '5' } },
    });
    const refused = markDatabaseError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    expect(mapError(refused).outage).toBe('database:connection-refused');
    expect(mapError(markDatabaseError(new Error('timeout exceeded when trying to connect'))).outage).toBe('database:pool-timeout');
    const canceled = new QueryFailedError('SELECT', [], Object.assign(new Error('canceling statement'), { code: '57014' }));
    expect(mapError(canceled).outage).toBe('database:statement-timeout');
  });

  it('leaves network errors that did not come from the database, and wrong queries, as 500s', () => {
    const elsewhere = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    expect(mapError(elsewhere)).toMatchObject({ serverFault: true, problem: { status: 500 } });
    expect(mapError(elsewhere).outage).toBeUndefined();
  });
});
