import { generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A signing key made for a test: the private half signs, the public half is published. */
export interface TestSigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public JWK as published (`kid`, `alg`, `use: sig`). */
  jwk: JsonWebKey & { kid: string; alg: string; use: string };
}

/** Generates a key pair (RSA 2048 for RS256, P-256 for ES256) and its public JWK. */
export function generateSigningKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256'): TestSigningKey {
  const { privateKey, publicKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

/**
 * How the endpoint misbehaves: `stall` sends the headers and the first half of
 * the body, then nothing more (the connection stays open); `oversize` streams
 * `oversizeBytes` of a valid-looking key set without a `Content-Length`.
 */
export type JwksFault = 'none' | 'stall' | 'oversize';

/**
 * A real JWKS endpoint on 127.0.0.1 (an ephemeral port): serves `keys` as
 * `{"keys": [...]}` at `/.well-known/jwks.json`, counts requests, and can be
 * told to fail (HTTP 500) to play an unreachable identity provider, or to
 * stall mid-body or answer oversized ({@link JwksFault}).
 */
export class JwksServer {
  /** The JWKs served; replace to rotate. */
  keys: object[] = [];
  /** Requests received so far. */
  requests = 0;
  /** When true, answers 500. */
  failing = false;
  /** A fault played on every answer while set. */
  fault: JwksFault = 'none';
  /** Body size of the `oversize` fault, in bytes. */
  oversizeBytes = 8 * 1024 * 1024;
  /** Bytes of body written so far (all answers). */
  bytesSent = 0;
  private server?: Server;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.requests += 1;
      if (this.failing || request.url !== '/.well-known/jwks.json') {
        response.writeHead(this.failing ? 500 : 404).end();
        return;
      }
      const body = JSON.stringify({ keys: this.keys });
      if (this.fault === 'stall') {
        const half = body.slice(0, Math.floor(body.length / 2));
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
        response.write(half);
        this.bytesSent += Buffer.byteLength(half);
        return;
      }
      if (this.fault === 'oversize') {
        response.writeHead(200, { 'content-type': 'application/json' });
        this.streamOversized(response);
        return;
      }
      this.bytesSent += Buffer.byteLength(body);
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get uri(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}/.well-known/jwks.json`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** `{"keys":[` + the real keys + padding keys, written as fast as the client reads, until `oversizeBytes`. */
  private streamOversized(response: ServerResponse): void {
    const padding = `,${JSON.stringify({ kty: 'oct', kid: 'padding', k: 'A'.repeat(16 * 1024) })}`;
    let written = 0;
    const write = (chunk: string): boolean => {
      written += Buffer.byteLength(chunk);
      this.bytesSent += Buffer.byteLength(chunk);
      return response.write(chunk);
    };
    write(`{"keys":[${this.keys.map((key) => JSON.stringify(key)).join(',') || '{}'}`);
    const pump = (): void => {
      while (written < this.oversizeBytes) {
        if (response.destroyed) return;
        if (!write(padding)) {
          response.once('drain', pump);
          return;
        }
      }
      response.end(']}');
    };
    pump();
  }
}
