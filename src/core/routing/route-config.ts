import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';

/**
 * A method decorator that adds `key: value` to the handler's Fastify route
 * `config` (Nest's `@RouteConfig()` metadata), keeping what other chassis
 * decorators put there, so `onRoute` hooks can read it.
 */
export function mergeRouteConfig(key: string, value: unknown): MethodDecorator {
  return (_target, _property, descriptor) => {
    const handler = descriptor.value as object;
    const current = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<string, unknown>;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...current, [key]: value }, handler);
    return descriptor;
  };
}

/** The value under `key` of a Fastify route's `config`, or undefined. */
export function routeConfigValue<T>(config: unknown, key: string): T | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  return (config as Record<string, T | undefined>)[key];
}
