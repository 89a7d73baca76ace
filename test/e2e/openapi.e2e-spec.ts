import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { bootTestApp, productionTestEnv, type TestApp } from '../support/test-app';

/** The body as the client reads it: decoded per Content-Encoding. */
function decoded(res: { headers: Record<string, unknown>; rawPayload: Buffer }): string {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(res.rawPayload).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(res.rawPayload).toString('utf8');
  return res.rawPayload.toString('utf8');
}

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

    // Browsers and client generators send Accept-Encoding: @nestjs/swagger 11.4.0 answered these
    // compressed requests with an empty body (a blank Swagger UI).
    it.each(['gzip', 'br', 'gzip, br'])('serves the complete document and UI script with Accept-Encoding: %s', async (acceptEncoding) => {
      const headers = { 'accept-encoding': acceptEncoding };
      const plain = await t.app.inject({ method: 'GET', url: '/openapi.json' });
      const doc = await t.app.inject({ method: 'GET', url: '/openapi.json', headers });
      expect(doc.statusCode).toBe(200);
      expect(doc.headers['content-encoding']).toMatch(/^(br|gzip)$/);
      expect(JSON.parse(decoded(doc))).toEqual(plain.json());
      expect(plain.json().paths['/items']).toBeDefined();

      const init = await t.app.inject({ method: 'GET', url: '/docs/swagger-ui-init.js', headers });
      expect(init.statusCode).toBe(200);
      expect(init.headers['content-encoding']).toMatch(/^(br|gzip)$/);
      const script = decoded(init);
      expect(script).toContain('window.onload');
      expect(script).toContain('SwaggerUIBundle');
      // The UI's options embed the whole document.
      expect(script).toContain('"/items/{id}"');
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
