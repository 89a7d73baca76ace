/**
 * The identity side of the benchmark: tokens for shared-secret mode, and a
 * local JWKS endpoint over HTTPS for JWKS mode (production refuses an
 * http:// AUTH_JWKS_URI). The server trusts the endpoint's self-signed
 * certificate through NODE_EXTRA_CA_CERTS, not by turning TLS checks off.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sign, type Algorithm } from 'jsonwebtoken';

export const ISSUER = 'https://idp.bench.local';
export const AUDIENCE = 'nest-chassis-bench';

/** A random shared secret (48 bytes, base64), as `openssl rand -base64 48` gives. */
export function randomSecret(): string {
  return randomBytes(48).toString('base64');
}

/** A bearer header for `sub` with `scope`, valid for an hour. */
export function bearer(key: KeyObject, algorithm: Algorithm, scope: string, kid?: string): string {
  const token = sign({ sub: 'bench-user', scope }, key, {
    algorithm,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: 3600,
    ...(kid ? { keyid: kid } : {}),
  });
  return `Bearer ${token}`;
}

export function secretKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** An RS256 key pair and a JWKS endpoint on https://127.0.0.1:<port>, with a self-signed certificate. */
export class JwksEndpoint {
  readonly kid = 'bench-key-1';
  readonly privateKey: KeyObject;
  readonly caFile: string;
  requests = 0;
  private readonly server: Server;

  constructor(workDir: string) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' }] });
    const keyFile = join(workDir, 'jwks-tls.key');
    this.caFile = join(workDir, 'jwks-tls.crt');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', this.caFile,
    ], { stdio: 'ignore' }); // prettier-ignore
    this.server = createServer({ key: readFileSync(keyFile), cert: readFileSync(this.caFile) }, (req, res) => {
      this.requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `https://127.0.0.1:${port}/.well-known/jwks.json`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
