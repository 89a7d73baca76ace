import type { KeyObject } from 'node:crypto';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JwtKeyStore, type KeysReadiness } from './jwt-key-store';

/** A single configured key: the shared secret or the static public key. */
export class StaticKeySource extends JwtKeyStore implements OnApplicationBootstrap {
  readonly generation = 0;

  /**
   * @param developmentSecret true when `key` is the built-in development secret: warned about at bootstrap.
   */
  constructor(
    private readonly key: KeyObject,
    private readonly mode: 'secret' | 'public-key',
    private readonly developmentSecret = false,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    if (this.developmentSecret) {
      new Logger('Authentication').warn(
        'Authentication uses the built-in development secret (no AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URI)',
      );
    }
  }

  keyFor(): KeyObject {
    return this.key;
  }

  readiness(): KeysReadiness {
    return { status: 'up', detail: { mode: this.mode } };
  }

  retryAfterSeconds(): number {
    return 1;
  }
}
