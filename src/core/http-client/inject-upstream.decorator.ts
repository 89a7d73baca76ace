import { Inject } from '@nestjs/common';

/** The injection token of upstream `name`'s client (case-insensitive). */
export function upstreamToken(name: string): string {
  return `UPSTREAM_CLIENT_${name.toLowerCase()}`;
}

/**
 * Injects the {@link UpstreamClient} of the upstream declared by
 * `UPSTREAM_<NAME>_URL` (docs/outbound-http.md):
 *
 * ```ts
 * constructor(@InjectUpstream('billing') private readonly billing: UpstreamClient) {}
 * ```
 *
 * An upstream that is not configured stops the boot (Nest cannot resolve the token).
 */
export const InjectUpstream = (name: string): ParameterDecorator & PropertyDecorator => Inject(upstreamToken(name));
