import { Controller, Get, Module } from '@nestjs/common';
import { BusinessRuleError, ForbiddenError } from '../../src/core';
import { bootTestApp, type TestApp } from '../support/test-app';

@Controller('test-errors')
class ThrowingController {
  @Get('unhandled')
  unhandled(): never {
    throw new Error('connection string postgres://admin:hunter2@db/prod refused');
  }

  @Get('forbidden')
  forbidden(): never {
    throw new ForbiddenError('You may not archive this item.');
  }

  @Get('rule')
  rule(): never {
    throw new BusinessRuleError('An item cannot be priced below cost.');
  }
}

@Module({ controllers: [ThrowingController] })
class ThrowingModule {}

describe('server faults and domain errors (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({}, { after: [ThrowingModule] });
  });
  afterAll(async () => t.close());

  it('an unhandled error → 500 problem with no internal message, logged with its stack and request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/test-errors/unhandled', headers: t.authHeader() });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const body = res.json();
    expect(body).toMatchObject({ status: 500, title: 'Internal Server Error', instance: '/test-errors/unhandled' });
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('ThrowingController');

    const logged = t.logs.withMessage('Unhandled error while serving a request');
    expect(logged).toHaveLength(1);
    expect(logged[0].requestId).toBe(body.requestId);
    expect(logged[0].level).toBe('error');
    expect(JSON.stringify(logged[0].err)).toContain('ThrowingController.unhandled');
  });

  it('domain errors map to their status, with the message as detail', async () => {
    const forbidden = await t.app.inject({ method: 'GET', url: '/test-errors/forbidden', headers: t.authHeader() });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ detail: 'You may not archive this item.', title: 'Forbidden' });
    const rule = await t.app.inject({ method: 'GET', url: '/test-errors/rule', headers: t.authHeader() });
    expect(rule.statusCode).toBe(422);
    expect(rule.json().type).toBe('tag:nest-chassis,2026:problems/business-rule');
  });

  it('the process keeps serving after a 500', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/items', headers: t.authHeader({ scope: 'items:read' }) })).statusCode).toBe(200);
  });
});
