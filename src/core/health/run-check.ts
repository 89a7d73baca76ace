import { performance } from 'node:perf_hooks';
import type { CheckOutcome, ReadinessCheck } from './health-check';
import { withTimeout } from '../async/with-timeout';
import { CheckTimeoutError } from './check-timeout.error';

/**
 * Runs one check under its time limit and turns whatever it does (resolve,
 * reject, a Terminus result with status `down`, a timeout) into a
 * {@link CheckOutcome}. Never throws.
 */
export async function runCheck(check: ReadinessCheck, defaultTimeoutSeconds: number): Promise<CheckOutcome> {
  const critical = check.critical ?? true;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000;
  try {
    const seconds = check.timeoutSeconds ?? defaultTimeoutSeconds;
    const result = await withTimeout(Promise.resolve().then(check.check), seconds * 1000, () => new CheckTimeoutError(seconds));
    const { status, ...details } = (result?.[check.name] ?? {}) as { status?: string } & Record<string, unknown>;
    const down = status === 'down';
    return {
      status: down ? 'down' : 'up',
      critical,
      durationMs: elapsed(),
      ...(down ? { error: typeof details.message === 'string' ? details.message : 'reported down' } : {}),
      ...(Object.keys(details).length > 0 ? { details } : {}),
    };
  } catch (error) {
    return { status: 'down', critical, durationMs: elapsed(), error: error instanceof Error ? error.message : String(error) };
  }
}

/** The outcome as shown without `HEALTH_DETAILS`: status and criticality only. */
export function withoutDetails(outcome: CheckOutcome): CheckOutcome {
  return { status: outcome.status, critical: outcome.critical };
}
