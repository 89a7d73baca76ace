import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JsonLimits } from '../config/app-config';
import { jsonLimitsProblem } from './json-limits';

type ParserDone = (error: Error | null, body?: unknown) => void;

/**
 * Accepts request bodies in JSON only. Nest would register a form
 * (urlencoded) parser and Fastify a text/plain one; an API that documents
 * JSON answers anything else with 415 Unsupported Media Type instead of
 * handing a string or a form to DTO validation.
 *
 * Prototype poisoning (`__proto__`, `constructor.prototype` keys) is an
 * error, as in Fastify's secure defaults. A parsed body is then held to
 * {@link JsonLimits} (depth, members per object, array length, string
 * bytes) before any pipe sees it: 400/413 problem naming the limit.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance, limits: JsonLimits): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request: FastifyRequest, body: string, done: ParserDone) =>
    parse(request, body, (error: Error | null, value?: unknown) => {
      if (error) return done(error);
      const problem = jsonLimitsProblem(value, limits);
      if (problem) return done(problem);
      done(null, value);
    }),
  );
}
