import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page, type Response } from 'playwright-core';
import { DOCS_CONTENT_SECURITY_POLICY } from '../../src/core/security/security-headers';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * The page the README links to, in a real browser: headless Chromium (Debian's
 * `chromium` package, `CHROMIUM_PATH` to use another) loads Swagger UI from
 * the app listening on 127.0.0.1, with compression on and the docs CSP
 * enforced, and a user's first steps succeed: the operations render, the
 * Authorize dialog takes a development token, "Try it out" on `GET /items` and
 * `POST /items` answers 200 and 201. Nothing on the way logs a console error
 * (a CSP violation is one) or throws. The screenshots (`docs.png`, the page as
 * first rendered; `docs-try-it-out.png`, the whole page after the calls) land in
 * `BROWSER_ARTIFACTS_DIR` (default `reports/browser`), kept by CI.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = process.env.BROWSER_ARTIFACTS_DIR ?? join(__dirname, '..', '..', 'reports', 'browser');

describe('Swagger UI at /docs in Chromium (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let origin: string;
  const problems: string[] = [];
  const responses: Response[] = [];

  beforeAll(async () => {
    t = await bootTestApp({ COMPRESSION_ENABLED: 'true' });
    await t.app.listen(0, '127.0.0.1');
    origin = await t.app.getUrl();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
    page.on('response', (response) => responses.push(response));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders every operation, with the docs CSP enforced and the assets compressed', async () => {
    const response = await page.goto(`${origin}/docs`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(DOCS_CONTENT_SECURITY_POLICY);
    expect(DOCS_CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*'unsafe-inline'/);

    await page.locator('.opblock').first().waitFor({ state: 'visible', timeout: 20_000 });
    const operations = await page.locator('.opblock-summary').evaluateAll((nodes) =>
      nodes.map((node) => {
        const method = node.querySelector('.opblock-summary-method')?.textContent ?? '';
        const path = node.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
        return `${method} ${path}`;
      }),
    );
    expect(operations).toEqual(
      expect.arrayContaining(['GET /items', 'POST /items', 'GET /items/{id}', 'PATCH /items/{id}', 'DELETE /items/{id}']),
    );

    // The browser asked for compression and the UI's assets came compressed.
    const init = responses.find((r) => r.url().endsWith('/docs/swagger-ui-init.js'));
    const bundle = responses.find((r) => r.url().endsWith('/docs/swagger-ui-bundle.js'));
    expect(init?.status()).toBe(200);
    expect(init?.headers()['content-encoding']).toMatch(/^(zstd|br|gzip)$/);
    expect(bundle?.headers()['content-encoding']).toMatch(/^(zstd|br|gzip)$/);
    expect(problems).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'docs.png') });
  });

  it('takes a development token in the Authorize dialog', async () => {
    await page.locator('.scheme-container .btn.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('#auth-bearer-value').fill(t.token({ sub: 'alice', scope: 'items:read items:write' }));
    await dialog.locator('button.authorize', { hasText: 'Authorize' }).click();
    // Authorized: the dialog offers to log out instead.
    await dialog.locator('button', { hasText: 'Logout' }).waitFor({ state: 'visible' });
    await dialog.locator('button.btn-done', { hasText: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(problems).toEqual([]);
  });

  it('"Try it out" on POST /items creates an item (201)', async () => {
    const operation = page.locator('.opblock-post').filter({ has: page.locator('[data-path="/items"]') });
    await operation.locator('.opblock-summary').click();
    await operation.locator('.try-out__btn').click();
    const body = { sku: 'BROWSER-1', name: 'Kettle from the browser', priceCents: 2599, currency: 'EUR' };
    await operation.locator('textarea.body-param__text').fill(JSON.stringify(body));
    await operation.locator('.btn.execute').click();
    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await expect(status.textContent({ timeout: 10_000 })).resolves.toMatch(/^\s*201/);
    await expect(operation.locator('.live-responses-table .response .response-col_description').first().textContent()).resolves.toContain(
      '"sku": "BROWSER-1"',
    );
    expect(problems).toEqual([]);
  });

  it('"Try it out" on GET /items lists it (200), with the optional query parameters left empty', async () => {
    const operation = page.locator('.opblock-get').filter({ has: page.locator('[data-path="/items"]') });
    await operation.locator('.opblock-summary').click();
    await operation.locator('.try-out__btn').click();
    await operation.locator('.btn.execute').click();
    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await expect(status.textContent({ timeout: 10_000 })).resolves.toMatch(/^\s*200/);
    const answer = await operation.locator('.live-responses-table .response .response-col_description').first().textContent();
    expect(answer).toContain('"total": 1');
    expect(answer).toContain('"sku": "BROWSER-1"');
    expect(problems).toEqual([]);

    await page.screenshot({ path: join(ARTIFACTS, 'docs-try-it-out.png'), fullPage: true });
  });
});
