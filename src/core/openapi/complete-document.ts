import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import { statusTitle } from '../errors/status-titles';
import { problemExample, problemHeaders } from './problem-examples';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const PROBLEM_SCHEMA = { $ref: '#/components/schemas/ProblemDetails' };

/** Statuses any operation may answer, whoever wrote it: rate limited, a fault, unavailable (handler timeout, auth keys or rate-limit storage down). */
const EVERY_OPERATION = [429, 500, 503];
/** Statuses of an operation with a request body: over the body limit, not JSON. */
const WITH_BODY = [400, 413, 415];
/** Statuses of an authenticated operation (the global bearer requirement). */
const AUTHENTICATED = [401, 403];

/**
 * Completes the document with what the chassis does for every route, so a
 * feature documents only its own statuses (`@ApiProblemResponses(404, 409)`)
 * and a generated client is still right:
 *
 * - a query parameter with a default is optional (`required: false`);
 * - every operation documents 429, 500 and 503; one with a body also 400, 413
 *   and 415; one with parameters 400; an authenticated one 401 and 403;
 * - every problem response carries its own example (the status's type,
 *   title and wording; field errors on 400) and its headers (`Retry-After` on
 *   429/503, `WWW-Authenticate` on 401).
 *
 * Mutates and returns `document`.
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const globalSecurity = document.security ?? [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) completeOperation(operation, path, globalSecurity);
    }
  }
  return document;
}

function completeOperation(operation: OperationObject, path: string, globalSecurity: OpenAPIObject['security'] & object): void {
  const parameters = (operation.parameters ?? []).filter(isParameter);
  for (const parameter of parameters) {
    if (parameter.in === 'query' && parameter.schema && 'default' in parameter.schema) parameter.required = false;
  }
  const inputs = { body: operation.requestBody !== undefined, query: parameters.some((parameter) => parameter.in === 'query') };
  const security = operation.security ?? globalSecurity;
  const statuses = [
    ...EVERY_OPERATION,
    ...(operation.requestBody ? WITH_BODY : []),
    ...(parameters.length > 0 ? [400] : []),
    ...(security.some((requirement) => Object.keys(requirement).length > 0) ? AUTHENTICATED : []),
  ];
  for (const status of statuses) {
    operation.responses[status] ??= { description: statusTitle(status), content: { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_SCHEMA } } };
  }
  for (const [status, response] of Object.entries(operation.responses) as [string, ResponseObject | ReferenceObject | undefined][]) {
    if (!response || isReference(response)) continue;
    const problem = response.content?.[PROBLEM_MEDIA_TYPE];
    if (!problem) continue;
    problem.example ??= problemExample(Number(status), path, inputs);
    const headers = problemHeaders(Number(status));
    if (headers) response.headers = { ...headers, ...response.headers };
  }
}

function isParameter(parameter: ParameterObject | ReferenceObject): parameter is ParameterObject {
  return !('$ref' in parameter);
}

function isReference(value: object): value is ReferenceObject {
  return '$ref' in value;
}
