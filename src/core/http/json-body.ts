import type { FastifyInstance } from 'fastify';

/**
 * Accepts request bodies in JSON only. Nest would register a form
 * (urlencoded) parser and Fastify a text/plain one; an API that documents
 * JSON answers anything else with 415 Unsupported Media Type instead of
 * handing a string or a form to DTO validation.
 *
 * Prototype poisoning (`__proto__`, `constructor.prototype` keys) is an
 * error, as in Fastify's secure defaults.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'error'));
}
