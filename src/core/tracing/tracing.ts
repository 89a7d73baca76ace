import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { AppConfig } from '../config/app-config';

let sdk: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry SDK. Called by `src/instrumentation.ts`, which
 * Node loads with `--require` before the app, so the instrumentations patch
 * `http`, `fastify`, `pg` and `ioredis` before anything imports them.
 * A no-op when tracing is disabled (`OTEL_SDK_DISABLED`, the development default)
 * or already started. What is traced: `createTracingSdk` (tracing-sdk.ts).
 */
export function startTracing(config: AppConfig): NodeSDK | undefined {
  if (!config.tracing.enabled || sdk) return sdk;
  // Required here, not imported: with tracing off the SDK is never loaded (0.3 s of cold start).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createTracingSdk } = require('./tracing-sdk') as typeof import('./tracing-sdk');
  sdk = createTracingSdk(config);
  sdk.start();
  return sdk;
}

/**
 * Exports the spans still buffered and stops the SDK; part of the shutdown
 * sequence (spans of the last requests would be lost otherwise). Never throws.
 */
export async function shutdownTracing(): Promise<void> {
  const current = sdk;
  sdk = undefined;
  await current?.shutdown().catch(() => undefined);
}
