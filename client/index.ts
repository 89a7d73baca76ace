/**
 * The service's typed client: openapi-fetch over the types openapi-typescript
 * generated from the OpenAPI document (`schema.d.ts`, by `npm run client`).
 * Every path, parameter, body and response — problem responses included — is
 * typed from the document; nothing here names a feature.
 *
 * ```ts
 * const api = createApiClient({ baseUrl: 'http://localhost:3000', token });
 * const { data, error, response } = await api.GET('/items/{id}', { params: { path: { id } } });
 * ```
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

/** An RFC 9457 problem, as every error response of the service is. */
export type ProblemDetails = components['schemas']['ProblemDetails'];

/** A client of this service: `GET`, `POST`, `PATCH`, `DELETE`… on its paths. */
export type ApiClient = Client<paths>;

/** Options of {@link createApiClient}: openapi-fetch's, plus the bearer token to send. */
export interface ApiClientOptions extends ClientOptions {
  /** Sent as `Authorization: Bearer <token>` on every request. */
  token?: string;
}

/** A typed client of the service at `options.baseUrl`. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const { token, headers, ...rest } = options;
  return createClient<paths>({
    ...rest,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(headers as Record<string, string> | undefined) },
  });
}
