import { SetMetadata } from '@nestjs/common';

/** Metadata key read by the authentication guard. */
export const IS_PUBLIC_KEY = 'chassis:isPublic';

/**
 * Opts a route (or a whole controller) out of authentication. Every other
 * route requires a valid bearer token: secure by default.
 */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(IS_PUBLIC_KEY, true);
