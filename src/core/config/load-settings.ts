import { z } from 'zod';
import { ConfigValidationError } from './config.error';
import type { EnvSource, LoadedSettings, SettingsBlocks, VariablesOf } from './settings-block';

/** Variables whose values are never echoed in an error (they may hold credentials). */
const SECRET_LIKE = /SECRET|PASSWORD|KEY|URL|TOKEN/;

/** Every block's variables in one object schema (blocks may share a variable, e.g. `NODE_ENV`). */
export function variablesOf<Blocks extends SettingsBlocks>(blocks: Blocks) {
  return z.object(Object.assign({}, ...Object.values(blocks).map((block) => block.in.shape)) as VariablesOf<Blocks>);
}

/**
 * Validates the environment against `blocks` and returns each block's slice.
 * Three steps, each listing every problem it finds: the variables one by one,
 * then `crossRules` over the parsed variables (rules between variables,
 * production refusals), then each block's `.transform()` (which reports what
 * only a transform can find, such as an unreadable key, as a zod issue on its
 * variable).
 *
 * Empty strings count as unset, so `PORT=` in a `.env` file falls back to the
 * default instead of failing.
 *
 * @throws ConfigValidationError listing every bad variable of the first step that fails.
 */
export function loadSettings<Blocks extends SettingsBlocks, Env>(
  blocks: Blocks,
  source: EnvSource,
  crossRules: (env: Env) => string[] = () => [],
): LoadedSettings<Blocks> {
  const variables = variablesOf(blocks);
  const input = presentValues(Object.keys(variables.shape), source);
  const parsed = variables.safeParse(input);
  if (!parsed.success) throw new ConfigValidationError(parsed.error.issues.map((issue) => withValue(issue, input)));
  const refused = crossRules(parsed.data as Env);
  if (refused.length > 0) throw new ConfigValidationError(refused);
  const settings: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, block] of Object.entries(blocks)) {
    const slice = block.safeParse(input);
    if (slice.success) settings[name] = slice.data;
    else problems.push(...slice.error.issues.map((issue) => `${variableOf(issue)}: ${issue.message}`));
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return settings as LoadedSettings<Blocks>;
}

/** The set, non-empty values of the known variables. */
function presentValues(names: string[], source: EnvSource): Record<string, string> {
  const input: Record<string, string> = {};
  for (const name of names) {
    const value = source[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  return input;
}

function variableOf(issue: z.core.$ZodIssue): string {
  return String(issue.path[0] ?? '(environment)');
}

/** One line per bad variable: its name, the rule it broke and (if not secret-like) its value. */
function withValue(issue: z.core.$ZodIssue, input: Record<string, string>): string {
  const name = variableOf(issue);
  const value = input[name];
  const shown = value === undefined || SECRET_LIKE.test(name) ? '' : ` (got "${value}")`;
  return `${name}: ${issue.message}${shown}`;
}
