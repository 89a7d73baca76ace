import type { IncomingHttpHeaders } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest, preParsingHookHandler } from 'fastify';
import { ProblemException } from '../errors/problem.exception';
import type { AppConfig } from '../config/app-config';
import { jsonLimitsProblem } from './json-limits';

type ParserDone = (error: Error | null, body?: unknown) => void;

/**
 * Accepts request bodies in JSON only. Nest would register a form
 * (urlencoded) parser and Fastify a text/plain one; an API that documents
 * JSON answers anything else with 415 Unsupported Media Type instead of
 * handing a string or a form to DTO validation.
 *
 * Prototype poisoning (`__proto__`, `constructor.prototype` keys) is an
 * error, as in Fastify's secure defaults. The body's text is first held to
 * the JSON_MAX_* limits (depth, members per object, array length, values, string
 * bytes), before it is parsed: 400/413 problem naming the limit.
 */
export function registerJsonBodyParser(app: NestFastifyApplication, config: AppConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  const limits = config.http.json;
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request: FastifyRequest, body: string, done: ParserDone) => {
    // Checked on the text, before JSON.parse builds (and validation walks) anything.
    const problem = jsonLimitsProblem(body, limits);
    if (problem) return done(problem);
    void parse(request, body, done);
  });
}

/**
 * The `preParsing` hook that refuses a body with a `Content-Encoding` other
 * than `identity` with 415 and `Accept-Encoding: identity` (RFC 9110 section
 * 15.5.16) before it is read: the service decodes no content coding, and a
 * gzip/br body passed on undecoded would be parsed as if it were plain, or
 * decoded without the limits.
 */
export function encodedBodyHook(): preParsingHookHandler {
  return (request, _reply, payload, done) => {
    if (hasEncodedBody(request.headers)) return done(unsupportedEncodingProblem(), payload);
    done(null, payload);
  };
}

/** A body follows (RFC 9112 section 6.3) and is labelled with a content coding other than `identity`. */
export function hasEncodedBody(headers: IncomingHttpHeaders): boolean {
  const encoding = headers['content-encoding'];
  if (encoding === undefined || encoding.trim().toLowerCase() === 'identity' || encoding.trim() === '') return false;
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

function unsupportedEncodingProblem(): ProblemException {
  return new ProblemException({
    status: 415,
    detail: 'Request bodies with a Content-Encoding are not accepted; send the body uncompressed (identity).',
    headers: { 'accept-encoding': 'identity' },
  });
}
