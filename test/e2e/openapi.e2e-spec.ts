import { bootTestApp, productionTestEnv, type TestApp } from '../support/test-app';

describe('OpenAPI (e2e)', () => {
  describe('enabled (the development default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp();
    });
    afterAll(async () => t.close());

    it('serves the document with DTO schemas, problem responses and the bearer scheme', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(doc.components.schemas.ProblemDetails.required).toEqual([
        'type',
        'title',
        'status',
        'detail',
        'instance',
        'requestId',
        'correlationId',
      ]);
      // From the CLI plugin reading class-validator decorators:
      expect(doc.components.schemas.CreateItemDto.properties.name).toMatchObject({ minLength: 1, maxLength: 200 });
      expect(doc.components.schemas.CreateItemDto.required).toEqual(expect.arrayContaining(['sku', 'name', 'priceCents', 'currency']));
      const getItem = doc.paths['/items/{id}'].get;
      expect(getItem.responses['404'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemDetails');
    });

    it('serves Swagger UI', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/docs' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
    });
  });

  describe('in production (off by default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp(productionTestEnv());
    });
    afterAll(async () => t.close());

    it('serves neither the UI nor the document', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(404);
    });
  });
});
