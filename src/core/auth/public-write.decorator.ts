import { applyDecorators, SetMetadata } from '@nestjs/common';
import { Public } from '../access/public.decorator';

/** Metadata key holding the reason a write route is public. */
export const PUBLIC_WRITE_REASON_KEY = 'chassis:publicWriteReason';

/**
 * `@Public()` for a write route (POST, PUT, PATCH, DELETE), with the reason
 * written down. `npm run chassis:check` refuses a public write route without
 * it (or without an entry in `chassis.json` `policy.publicWriteAllowList`):
 * an unauthenticated write is a decision, never an accident.
 *
 * @param reason why no token is needed and what protects the route instead,
 *   e.g. `'payment provider webhook; HMAC signature verified in the handler'`.
 * @throws Error at decoration time when the reason is shorter than 10 characters.
 */
export const PublicWrite = (reason: string): MethodDecorator => {
  if (reason.trim().length < 10) throw new Error('@PublicWrite(reason): say why the route is public (10 characters at least)');
  return applyDecorators(Public(), SetMetadata(PUBLIC_WRITE_REASON_KEY, reason.trim()));
};
