import { createPublicKey, type KeyObject } from 'node:crypto';

/** A private key was given where a public key (or certificate) belongs; the message says so to the operator. */
export class PrivateKeyGivenError extends Error {
  constructor() {
    super('is a private key; give the public key (or certificate) only');
    this.name = 'PrivateKeyGivenError';
  }
}

/**
 * Loads a static public key (PEM text or a file's content) and refuses private keys.
 *
 * @throws PrivateKeyGivenError for a private key; Node's error for text that is not a PEM public key or certificate.
 */
export function parsePublicKey(pem: string): KeyObject {
  if (/PRIVATE KEY-----/.test(pem)) throw new PrivateKeyGivenError();
  return createPublicKey(pem);
}
