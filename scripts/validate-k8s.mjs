#!/usr/bin/env node
/**
 * Validates Kubernetes objects (rendered manifests: `helm template`) against the Kubernetes
 * OpenAPI schemas, without a cluster: the validators `kubernetes-models` generates from the
 * schemas of a current Kubernetes release (and `@kubernetes-models/prometheus-operator` for the
 * ServiceMonitor), strictly:
 *   - an apiVersion/kind the schemas do not know is an error (a typo, a removed API);
 *   - a wrong type, a missing required field, a bad enum value or format is an error;
 *   - an unknown field is an error, as with the API server's strict field validation
 *     (`kubectl apply --validate=strict`). The generated validators accept unknown fields, so each
 *     object is wrapped in proxies that record which fields the validator reads: the validator reads
 *     every field its schema defines and walks every key of a map, so a field it never read is one
 *     the schema does not have (free-form objects, which it does not look into, are left alone).
 *
 *   helm template … | node scripts/validate-k8s.mjs          YAML on stdin
 *   node scripts/validate-k8s.mjs [--json] <file.yaml>…      YAML files (--json: {file: [errors]})
 * Exit 1 when any object is invalid. Used by the chart tests (test/unit/deploy), .ci/run and the
 * chart workflow.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** The model package of an API group outside Kubernetes itself. */
const MODEL_PACKAGES = { 'monitoring.coreos.com': '@kubernetes-models/prometheus-operator' };

const validators = new Map();

/** The generated validate function of apiVersion/kind; undefined when the schemas do not know it. */
async function validatorOf(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (validators.has(key)) return validators.get(key);
  let validate;
  if (typeof apiVersion === 'string' && typeof kind === 'string' && /^[A-Za-z0-9]+$/.test(kind)) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const pkg = MODEL_PACKAGES[group] ?? 'kubernetes-models';
    try {
      const model = import.meta.resolve(`${pkg}/${group ? `${group}/` : ''}${version}/${kind}`);
      // The model module imports its validator: `import{validate}from"../../_schemas/<Name>.js"`.
      const schema = /import\s*\{\s*validate\s*\}\s*from\s*"(\.[^"]*\/_schemas\/[^"]+)"/.exec(readFileSync(new URL(model), 'utf8'));
      if (schema) validate = (await import(new URL(schema[1], model).href)).validate;
    } catch {
      validate = undefined;
    }
  }
  validators.set(key, validate);
  return validate;
}

/** `value` wrapped in proxies that record the keys read; `unread()` lists the fields never read. */
function tracked(value, path, checks) {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item, index) => tracked(item, `${path}[${index}]`, checks));
  const read = new Set();
  let touched = false;
  const target = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, tracked(item, `${path}.${key}`, checks)]));
  checks.push(() =>
    touched
      ? Object.keys(value)
          .filter((key) => !read.has(key))
          .map((key) => `${path}.${key}`)
      : [],
  );
  const mark = (key) => {
    touched = true;
    if (typeof key === 'string') read.add(key);
  };
  return new Proxy(target, {
    get(object, key, receiver) {
      mark(key);
      return Reflect.get(object, key, receiver);
    },
    has(object, key) {
      mark(key);
      return Reflect.has(object, key);
    },
    ownKeys(object) {
      touched = true;
      for (const key of Reflect.ownKeys(object)) mark(key);
      return Reflect.ownKeys(object);
    },
  });
}

/** The errors of one object, as `Kind/name: message` lines (none when valid). */
export async function validateObject(object) {
  const name = `${object?.kind ?? '?'}/${object?.metadata?.name ?? '?'}`;
  if (!object || typeof object !== 'object' || Array.isArray(object)) return [`${name}: not an object`];
  const validate = await validatorOf(object.apiVersion, object.kind);
  if (!validate) return [`${name}: apiVersion ${object.apiVersion} kind ${object.kind} is not in the Kubernetes schemas`];
  const checks = [];
  const valid = validate(tracked(object, '', checks));
  const errors = valid
    ? []
    : validate.errors.map(
        (error) => `${name}: ${error.instancePath || '/'} ${error.message ?? `${error.keyword} ${JSON.stringify(error.params)}`}`,
      );
  for (const field of checks.flatMap((check) => check())) errors.push(`${name}: unknown field ${field.slice(1)}`);
  return errors;
}

/** The errors of every object of a multi-document YAML text (empty documents skipped). */
export async function validateYaml(text) {
  const errors = [];
  for (const [index, doc] of parseAllDocuments(text, { strict: true, uniqueKeys: true }).entries()) {
    if (doc.errors.length > 0) {
      errors.push(`document ${index + 1}: ${doc.errors[0].message}`);
      continue;
    }
    const object = doc.toJS();
    if (object !== null && object !== undefined) errors.push(...(await validateObject(object)));
  }
  return errors;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const json = args[0] === '--json';
  const files = json ? args.slice(1) : args;
  const results = {};
  for (const file of files.length > 0 ? files : ['-']) {
    results[file] = await validateYaml(readFileSync(file === '-' ? 0 : file, 'utf8'));
  }
  const invalid = Object.values(results).some((errors) => errors.length > 0);
  if (json) process.stdout.write(`${JSON.stringify(results)}\n`);
  else for (const [file, errors] of Object.entries(results)) for (const error of errors) process.stderr.write(`${file}: ${error}\n`);
  process.exit(invalid ? 1 : 0);
}
