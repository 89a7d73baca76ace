import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { bootTestApp, productionTestEnv, type TestApp } from '../support/test-app';

/** The body as the client reads it: decoded per Content-Encoding. */
function decoded(res: { headers: Record<string, unknown>; rawPayload: Buffer }): string {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(res.rawPayload).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(res.rawPayload).toString('utf8');
  return res.rawPayload.toString('utf8');
}

interface OpenApiMedia {
  schema?: Record<string, unknown>;
  example?: { status?: number; detail?: string; errors?: unknown[] };
}
interface OpenApiOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Record<string, unknown> }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, OpenApiMedia>; headers?: Record<string, unknown> }>;
}
interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, { required?: string[] }> };
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

    it('validates against the OpenAPI 3 schema (a maintained validator)', async () => {
      const { Validator } = await import('@seriousme/openapi-schema-validator');
      const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      const validator = new Validator();
      const result = await validator.validate(doc);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      expect(validator.version).toMatch(/^3\./);
    });

    it('gives every response of every route its schema, and every problem response its own example', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDoc;
      const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
      );
      expect(operations.length).toBeGreaterThanOrEqual(5);
      for (const { route, operation } of operations) {
        for (const [status, response] of Object.entries(operation.responses)) {
          // 204 and 304 never carry content (RFC 9110 §15.3.5, §15.4.5): they must document none.
          if (status === '204' || status === '304') {
            expect({ route, status, content: response.content }).toEqual({ route, status, content: undefined });
            continue;
          }
          const media = Object.values(response.content ?? {});
          expect({ route, status, schemas: media.length }).toEqual({ route, status, schemas: 1 });
          expect(media[0].schema).toBeDefined();
          // A named schema or a described object, never a bare `{ type: 'object' }` a client cannot type.
          const schema = media[0].schema!;
          expect({ route, status, typed: '$ref' in schema || 'properties' in schema }).toEqual({ route, status, typed: true });
          if (Number(status) >= 400) {
            expect({ route, status, exampleStatus: media[0].example?.status }).toEqual({ route, status, exampleStatus: Number(status) });
          }
        }
        // What the chassis answers on every route, documented on every route.
        for (const status of ['429', '500', '503'])
          expect({ route, documented: status in operation.responses }).toEqual({ route, documented: true });
        for (const status of ['401', '403'])
          expect({ route, documented: status in operation.responses }).toEqual({ route, documented: true });
        if (operation.requestBody) {
          for (const status of ['400', '413', '415'])
            expect({ route, documented: status in operation.responses }).toEqual({ route, documented: true });
        }
        expect(operation.responses['429'].headers?.['Retry-After']).toBeDefined();
        expect(operation.responses['503'].headers?.['Retry-After']).toBeDefined();
        expect(operation.responses['401'].headers?.['WWW-Authenticate']).toBeDefined();
      }
      // Each status its own example: the 400 names its fields, the 404 is not the 409.
      const create = doc.paths['/items'].post;
      expect(create.responses['400'].content!['application/problem+json'].example).toMatchObject({
        status: 400,
        errors: expect.arrayContaining([expect.objectContaining({ location: 'body', detail: 'name is required' })]),
      });
      expect(doc.paths['/items'].get.responses['400'].content!['application/problem+json'].example?.errors).toEqual([
        expect.objectContaining({ location: 'query' }),
      ]);
      expect(doc.paths['/items/{id}'].delete.responses['400'].content!['application/problem+json'].example?.detail).toBe(
        'Validation failed (uuid is expected)',
      );
      const patch = doc.paths['/items/{id}'].patch;
      expect(patch.responses['404'].content!['application/problem+json'].example?.detail).not.toEqual(
        patch.responses['409'].content!['application/problem+json'].example?.detail,
      );
    });

    it('documents the list as a page of items, and its defaulted query parameters as optional', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDoc;
      const list = doc.paths['/items'].get;
      expect(list.responses['200'].content!['application/json'].schema).toMatchObject({
        type: 'object',
        required: ['items', 'total', 'limit', 'offset'],
        properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Item' } }, total: { type: 'integer' } },
      });
      const parameters = Object.fromEntries((list.parameters ?? []).map((p) => [p.name, p]));
      expect(Object.keys(parameters).sort()).toEqual(['limit', 'offset', 'q', 'sort']);
      for (const name of ['limit', 'offset', 'q', 'sort'])
        expect({ name, required: parameters[name].required }).toEqual({ name, required: false });
      expect(parameters.limit.schema).toMatchObject({ default: 20 });
      expect(parameters.sort.schema).toMatchObject({ default: '-createdAt', enum: expect.arrayContaining(['name', '-createdAt']) });
      expect(doc.components.schemas.Item.required).toEqual(expect.arrayContaining(['id', 'sku', 'name', 'priceCents', 'currency']));
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
