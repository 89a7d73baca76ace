/**
 * Micro-benchmark of the JSON shape-limit scan (src/core/body/json-limits.ts),
 * which runs on every JSON request body before JSON.parse: its cost per body,
 * next to JSON.parse's on the same text. `npx ts-node --transpile-only bench/json-limits.ts`.
 */
import { findJsonLimitBreach } from '../src/core/body/json-limits';

const LIMITS = { maxDepth: 32, maxKeysPerObject: 1000, maxArrayLength: 500, maxValues: 5000, maxStringBytes: 512 * 1024 };

const item = {
  sku: 'ABC-123',
  name: 'A useful thing',
  description: 'Not too long, with a café and a ☃.',
  priceCents: 1999,
  currency: 'EUR',
};
const bodies: Record<string, string> = {
  'a DTO body (150 B)': JSON.stringify(item),
  '100 items (16 KB)': JSON.stringify({ items: Array.from({ length: 100 }, () => item) }),
  '450 KB of strings': JSON.stringify({ text: 'lorem ipsum dolor '.repeat(25_000) }),
  '90 000 members (refused)': `{${Array.from({ length: 90_000 }, (_, i) => `"${i.toString(36)}":0`).join(',')}}`,
};

function timePerCall(fn: () => unknown, minMs = 300): number {
  for (let i = 0; i < 50; i++) fn();
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    fn();
    calls++;
  }
  return ((performance.now() - started) * 1000) / calls;
}

console.log(`Node ${process.version}`);
console.log('| body | scan µs | JSON.parse µs | scan / parse |');
console.log('| --- | ---: | ---: | ---: |');
for (const [label, text] of Object.entries(bodies)) {
  const scan = timePerCall(() => findJsonLimitBreach(text, LIMITS));
  const parse = timePerCall(() => JSON.parse(text));
  console.log(`| ${label} | ${scan.toFixed(2)} | ${parse.toFixed(2)} | ${(scan / parse).toFixed(2)} |`);
}
