/**
 * A query on a tenant-scoped entity that the chassis refuses to run
 * (docs/tenancy.md): no tenant in the request context (a public route, a
 * timer, a job), or a change of a row's tenant. A bug in the calling code,
 * never the client's fault: it is answered as a 500 and logged.
 */
export class TenantScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantScopeError';
  }
}
