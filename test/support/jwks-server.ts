import { generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
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
 * A real JWKS endpoint on 127.0.0.1 (an ephemeral port): serves `keys` as
 * `{"keys": [...]}` at `/.well-known/jwks.json`, counts requests, and can be
 * told to fail (HTTP 500) to play an unreachable identity provider.
 */
export class JwksServer {
  /** The JWKs served; replace to rotate. */
  keys: object[] = [];
  /** Requests received so far. */
  requests = 0;
  /** When true, answers 500. */
  failing = false;
  private server?: Server;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.requests += 1;
      if (this.failing || request.url !== '/.well-known/jwks.json') {
        response.writeHead(this.failing ? 500 : 404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get uri(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}/.well-known/jwks.json`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
