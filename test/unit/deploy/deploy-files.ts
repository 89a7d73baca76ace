import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** Helpers shared by the deployment-file suites (chart, compose, image, workflows). */
export const root = join(__dirname, '..', '..', '..');
export const chartDir = join(root, 'charts', 'nest-chassis');

export function read(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** Every file under `dir` (relative to the repository root), recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (absolute: string): void => {
    for (const entry of readdirSync(absolute)) {
      const path = join(absolute, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

/** Parses one YAML document strictly (duplicate keys, bad indentation... throw). */
export function parseYaml<T = unknown>(path: string): T {
  return parse(read(path), { strict: true, uniqueKeys: true }) as T;
}

/** Parses every document of a YAML file; throws with the first error of any document. */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  return parseAllDocuments(text, { strict: true, uniqueKeys: true }).map((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${source} (document ${index + 1}): ${doc.errors[0].message}`);
    return doc.toJS() as unknown;
  });
}

/** A nested value by dotted path (`shutdown.delaySeconds`); undefined when any segment is missing. */
export function at(object: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), object);
}

/** The parts of the chart's values the tests read (values.schema.json has them all). */
export interface ChartValues {
  [key: string]: unknown;
  config: Record<string, string>;
  containerPort: number;
  metrics: { port: number; path: string };
  shutdown: { delaySeconds: number; timeoutSeconds: number; preStopSleepSeconds: number; terminationGracePeriodSeconds: number };
  probes: { readiness: { timeoutSeconds: number } };
}

/** The chart's default values. */
export function chartValues(): ChartValues {
  return parseYaml(join('charts', 'nest-chassis', 'values.yaml'));
}

/**
 * A chart template made parseable as YAML without Helm: `{{/* comments *\/}}`
 * dropped, lines that hold only template actions (if/end/range/include ...
 * | nindent) dropped, inline actions replaced by the scalar `x`. What remains is
 * every literal line of the template, so its indentation and structure are
 * checked; what the actions would emit is not (that needs `helm template`, run
 * by the chart workflow).
 */
export function stripTemplate(text: string): string {
  return text
    .replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}\n?/g, '')
    .split('\n')
    .filter((line) => line.replace(/\{\{[\s\S]*?\}\}/g, '').trim() !== '' || line.trim() === '')
    .map((line) => line.replace(/\{\{[\s\S]*?\}\}/g, 'x'))
    .join('\n');
}
