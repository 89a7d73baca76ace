import { startDeadlineTimer } from '../../async/deadline-timer';

/** Limits of one JWKS fetch (see `AuthConfig.jwks`). */
export interface JwksFetchLimits {
  /** Total deadline of the fetch, in milliseconds: connect, headers and the whole body. */
  timeoutMs: number;
  /** Largest accepted body, in bytes; a larger answer is refused before it is parsed. */
  maxBytes: number;
  /** Aborts the fetch from outside (shutdown). */
  signal?: AbortSignal;
}

/** Why a JWKS fetch failed; the message is logged and shown in readiness details. */
export class JwksFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwksFetchError';
  }
}

/**
 * Fetches and parses a JWKS document with a deadline and a size cap that both
 * hold while the body streams in: the body is read chunk by chunk and the
 * fetch is aborted (socket closed) when the deadline passes or the byte count
 * goes over the cap, so a provider that stalls mid-body or answers with a
 * huge document can neither wedge the caller nor fill the heap. Redirects are
 * not followed (an error, as with jwks-rsa's own request).
 *
 * Used as jwks-rsa's `fetcher` option, which replaces its request wrapper.
 *
 * @returns the document's `keys` (jwks-rsa picks the signing keys from them).
 * @throws JwksFetchError on a timeout, an oversized or malformed body (no `keys` array), a non-2xx status or a network error.
 */
export async function fetchJwks(uri: string, limits: JwksFetchLimits): Promise<{ keys: unknown[] }> {
  const controller = new AbortController();
  // A body that arrived in time but is read late because the event loop was busy is not a timeout.
  const cancelDeadline = startDeadlineTimer(limits.timeoutMs, () =>
    controller.abort(new JwksFetchError(`timed out after ${limits.timeoutMs} ms`)),
  );
  const onOuterAbort = () => controller.abort(new JwksFetchError('aborted: the application is shutting down'));
  limits.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    const response = await fetch(uri, { signal: controller.signal, redirect: 'manual', headers: { accept: 'application/json' } });
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel().catch(() => undefined);
      throw new JwksFetchError(`HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(limits.maxBytes);
    }
    const text = await readCapped(response, limits.maxBytes, controller);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new JwksFetchError('the body is not valid JSON');
    }
    const keys = (document as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys)) throw new JwksFetchError('the body has no "keys" array');
    return { keys: keys as unknown[] };
  } catch (error) {
    // An abort surfaces as the reason given to abort(), or as a DOMException when fetch itself saw it.
    if (controller.signal.aborted && controller.signal.reason instanceof JwksFetchError) throw controller.signal.reason;
    if (error instanceof JwksFetchError) throw error;
    throw new JwksFetchError(describe(error));
  } finally {
    cancelDeadline();
    limits.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** Reads the body as a stream, aborting as soon as it passes `maxBytes`. */
async function readCapped(response: Response, maxBytes: number, controller: AbortController): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      const error = tooLarge(maxBytes);
      controller.abort(error);
      throw error;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

function tooLarge(maxBytes: number): JwksFetchError {
  return new JwksFetchError(`the body is larger than AUTH_JWKS_MAX_BYTES (${maxBytes} bytes)`);
}

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND…); duck-typed, as fetch's errors may come from another realm. */
function describe(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (typeof message !== 'string') return String(error);
  const reason = cause?.code ?? cause?.message;
  return typeof reason === 'string' ? `${message}: ${reason}` : message;
}
