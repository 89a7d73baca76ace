/**
 * The authenticated caller, built from a verified JWT's claims (RFC 7519).
 * Set on the request (`request.principal`) by the authentication guard and
 * handed to handlers by `@CurrentPrincipal()`.
 */
export interface Principal {
  /** `sub`: the caller's stable id at the issuer. */
  subject: string;
  /** `iss`: who issued the token. */
  issuer: string;
  /** `aud`, always as an array. */
  audience: string[];
  /** From `scope` (space-separated) or `scp` (array or string). */
  scopes: string[];
  /** From the configured roles claim (e.g. `realm_access.roles`). */
  roles: string[];
  /**
   * The tenant the request acts in (docs/tenancy.md): from the `TENANT_CLAIM`
   * claim, or the tenant header of a token holding `TENANT_HEADER_SCOPE`.
   * Always set when tenancy is on (a request without one is refused with a
   * 401); absent when it is off.
   */
  tenant?: string;
  /** Every claim of the token, as verified. */
  claims: Readonly<Record<string, unknown>>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; undefined on public routes and before authentication. */
    principal?: Principal;
  }
}
