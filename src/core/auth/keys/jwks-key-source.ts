import { createPublicKey, type KeyObject } from 'node:crypto';
import { startDeadlineTimer } from '../../async/deadline-timer';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { keySupportsAlgorithm, type JwtAlgorithm } from '../jwt-algorithms';
import { InvalidTokenError, KeySetUnavailableError } from '../auth.errors';
import { decodeJoseHeader } from './jwt-header';
import { JwtKeyStore, type KeysReadiness } from './jwt-key-store';

/** The JWKS settings, in seconds (see `AuthConfig.jwks`). */
export interface JwksPolicy {
  algorithms: JwtAlgorithm[];
  cacheTtlSeconds: number;
  cooldownSeconds: number;
  requestsPerMinute: number;
  gracePeriodSeconds: number;
  /** Total deadline of one fetch; past it the fetch counts as failed and the next attempt may run. */
  timeoutSeconds: number;
}

/** A signing key as jwks-rsa returns it: already filtered to `use: sig` (or no `use`) public keys. */
export interface FetchedSigningKey {
  kid?: string;
  alg?: string;
  getPublicKey(): string;
}

/** Fetches and parses the key set: jwks-rsa's `JwksClient` in production. */
export interface SigningKeysFetcher {
  getSigningKeys(): Promise<FetchedSigningKey[]>;
}

/** Hooks for what a fetch did: metrics and logs. */
export interface JwksEvents {
  fetched(result: 'success' | 'failure', detail: { keys?: number; error?: string; changed?: boolean }): void;
}

interface VerificationKey {
  kid?: string;
  alg?: string;
  key: KeyObject;
}

const MINUTE_MS = 60_000;

/**
 * The keys of a JWKS endpoint (RFC 7517), cached, with the protections a
 * resource server needs against a slow or hostile world:
 *
 * - **TTL.** A key set is trusted for `cacheTtlSeconds`, then refetched on
 *   the next use. So a retired key stops working at most a TTL after the
 *   provider removed it.
 * - **Unknown `kid`.** Triggers a refetch (the provider may have rotated),
 *   but never within `cooldownSeconds` of the previous fetch and never more
 *   than `requestsPerMinute` fetches in any minute: a storm of random `kid`s
 *   costs the provider at most that many requests. Concurrent misses share
 *   one fetch.
 * - **Filtering.** Only keys whose `alg` (if stated) is allowed and whose
 *   type can verify an allowed algorithm are kept (jwks-rsa already drops
 *   `use: enc` keys and private keys).
 * - **Grace period.** When a refetch fails, the last good set keeps serving
 *   for `gracePeriodSeconds` past its TTL (readiness reports `degraded`).
 *   After that, or before the first successful fetch, verification fails with
 *   {@link KeySetUnavailableError} (a 503, not a 401: the token may be fine).
 *
 * - **Deadline.** A fetch that has not settled shortly after `timeoutSeconds`
 *   fails, so a provider that stalls cannot keep a
 *   fetch in flight that every later refresh joins.
 *
 * A failed fetch also waits out the cooldown before the next attempt, so an
 * unreachable provider is not hit on every request.
 */
export class JwksKeySource extends JwtKeyStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private keys: VerificationKey[] = [];
  private byKid = new Map<string, VerificationKey>();
  private fingerprint = '';
  private fetchedAtMs: number | undefined;
  private lastAttemptAtMs: number | undefined;
  private lastError: string | undefined;
  private readonly recentFetchesMs: number[] = [];
  private inflight: Promise<void> | undefined;
  private currentGeneration = 0;

  constructor(
    private readonly policy: JwksPolicy,
    private readonly fetcher: SigningKeysFetcher,
    private readonly events: JwksEvents,
    private readonly now: () => number = Date.now,
    /** Aborted at shutdown, so a fetch still under way cannot hold it; the fetcher listens to its signal. */
    private readonly shutdown = new AbortController(),
  ) {
    super();
  }

  /** Starts the first fetch so keys are ready before the first request (does not block boot). */
  onApplicationBootstrap(): void {
    void this.refreshIfAllowed();
  }

  onApplicationShutdown(): void {
    this.shutdown.abort();
  }

  get generation(): number {
    return this.currentGeneration;
  }

  async keyFor(token: string): Promise<KeyObject> {
    const header = decodeJoseHeader(token);
    if (this.isStale()) await this.refreshIfAllowed();
    if (!this.isUsable()) throw new KeySetUnavailableError(this.lastError ?? 'the key set has not been fetched yet');
    let found = this.find(header.kid);
    if (!found && header.kid !== undefined && (await this.refreshIfAllowed())) found = this.find(header.kid);
    if (!found) throw new InvalidTokenError(`no signing key for kid ${JSON.stringify(header.kid)?.slice(0, 80)}`);
    if (found.alg !== undefined && found.alg !== header.alg) {
      throw new InvalidTokenError(`token alg ${header.alg} does not match the key's alg ${found.alg}`);
    }
    return found.key;
  }

  /**
   * Fetches now unless the cooldown or the per-minute cap forbids it; joins
   * a fetch already under way. Resolves to whether a fetch happened (or was
   * joined); never rejects (a failure is recorded, see {@link readiness}).
   */
  async refreshIfAllowed(): Promise<boolean> {
    if (!this.inflight) {
      if (!this.mayFetch()) return false;
      this.inflight = this.fetch().finally(() => (this.inflight = undefined));
    }
    await this.inflight;
    return true;
  }

  readiness(): KeysReadiness {
    const detail: Record<string, unknown> = {
      mode: 'jwks',
      keys: this.keys.length,
      ...(this.fetchedAtMs !== undefined ? { fetchedAt: new Date(this.fetchedAtMs).toISOString() } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
    if (!this.isUsable()) return { status: 'down', detail };
    if (!this.isStale()) return { status: 'up', detail };
    // Stale but usable: refresh in the background; degraded only once a refresh failed.
    void this.refreshIfAllowed();
    return { status: this.lastError === undefined ? 'up' : 'degraded', detail };
  }

  retryAfterSeconds(): number {
    if (this.lastAttemptAtMs === undefined) return 1;
    const waitMs = this.lastAttemptAtMs + this.policy.cooldownSeconds * 1000 - this.now();
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  private find(kid: string | undefined): VerificationKey | undefined {
    if (kid !== undefined) return this.byKid.get(kid);
    // No kid: unambiguous only when the set holds a single key.
    return this.keys.length === 1 ? this.keys[0] : undefined;
  }

  private isStale(): boolean {
    return this.fetchedAtMs === undefined || this.now() - this.fetchedAtMs > this.policy.cacheTtlSeconds * 1000;
  }

  private isUsable(): boolean {
    if (this.fetchedAtMs === undefined) return false;
    return this.now() - this.fetchedAtMs <= (this.policy.cacheTtlSeconds + this.policy.gracePeriodSeconds) * 1000;
  }

  private mayFetch(): boolean {
    const now = this.now();
    while (this.recentFetchesMs.length > 0 && this.recentFetchesMs[0] <= now - MINUTE_MS) this.recentFetchesMs.shift();
    if (this.recentFetchesMs.length >= this.policy.requestsPerMinute) return false;
    return this.lastAttemptAtMs === undefined || now - this.lastAttemptAtMs >= this.policy.cooldownSeconds * 1000;
  }

  private async fetch(): Promise<void> {
    const startedAt = this.now();
    this.lastAttemptAtMs = startedAt;
    this.recentFetchesMs.push(startedAt);
    try {
      const keys = this.usable(await this.withDeadline(this.fetcher.getSigningKeys()));
      if (keys.length === 0) throw new Error(`no key in the set can verify ${this.policy.algorithms.join(', ')}`);
      const changed = this.install(keys);
      this.fetchedAtMs = this.now();
      this.lastError = undefined;
      this.events.fetched('success', { keys: keys.length, changed });
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.events.fetched('failure', { error: this.lastError });
    }
  }

  /**
   * A backstop for fetchers that cannot be aborted: a fetch that never settles
   * would otherwise stay in flight forever, and every later refresh would join it.
   */
  private async withDeadline<T>(fetching: Promise<T>): Promise<T> {
    let cancel: () => void = () => undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      // Slightly past the fetcher's own deadline, so its more precise error wins when it has one.
      cancel = startDeadlineTimer(this.policy.timeoutSeconds * 1000 + 1000, () =>
        reject(new Error(`no answer within ${this.policy.timeoutSeconds} s`)),
      );
    });
    try {
      return await Promise.race([fetching, deadline]);
    } finally {
      cancel();
    }
  }

  private usable(fetched: FetchedSigningKey[]): VerificationKey[] {
    const allowed = this.policy.algorithms as string[];
    const keys: VerificationKey[] = [];
    for (const candidate of fetched) {
      if (candidate.alg !== undefined && !allowed.includes(candidate.alg)) continue;
      const key = createPublicKey(candidate.getPublicKey());
      const algorithms = candidate.alg !== undefined ? [candidate.alg as JwtAlgorithm] : this.policy.algorithms;
      if (!algorithms.some((algorithm) => keySupportsAlgorithm(key, algorithm))) continue;
      keys.push({ kid: candidate.kid, alg: candidate.alg, key });
    }
    return keys;
  }

  /** Swaps in a new set; bumps the generation when it differs. Returns whether it did. */
  private install(keys: VerificationKey[]): boolean {
    const fingerprint = keys
      .map(({ kid, alg, key }) => `${kid}|${alg}|${key.export({ type: 'spki', format: 'der' }).toString('base64')}`)
      .sort()
      .join('\n');
    this.keys = keys;
    this.byKid = new Map(keys.filter((key) => key.kid !== undefined).map((key) => [key.kid as string, key]));
    if (fingerprint === this.fingerprint) return false;
    this.fingerprint = fingerprint;
    this.currentGeneration += 1;
    return true;
  }
}
