// @ts-check
'use strict';
/**
 * The chassis's `queue` schematic (`nest g queue <feature>`): background work
 * for a feature made by `nest g resource` (docs/jobs.md), in files of its own:
 *
 * - src/features/<name>/<name>.queue.ts: the payload DTO and `defineQueue()`;
 * - <name>.processor.ts: the `@JobProcessor` (idempotent, logs with the job's ids);
 * - <name>-jobs.controller.ts: `POST /<name>/{id}/process` (scope `<name>:write`,
 *   404 for another principal's record, 202 with the job id, one job per version);
 * - dto/<singular>-job-accepted.dto.ts: that route's answer;
 * - test/e2e/features/<name>-queue.e2e-spec.ts: a job added through the route is processed;
 * - the feature's module gets `JobsModule.forFeature([<Name>Queue])`, the controller and the processor.
 *
 * A second schematic rather than a `resource` option: the Nest CLI refuses
 * options it does not know (`nest g resource x --queue`: "unknown option").
 */
const { strings } = require('@angular-devkit/core');
const {
  apply,
  chain,
  mergeWith,
  move,
  noop,
  SchematicsException,
  template,
  url,
  renameTemplateFiles,
} = require('@angular-devkit/schematics');
const posix = require('node:path').posix;
const pluralize = require(require.resolve('pluralize', { paths: [require.resolve('@nestjs/schematics')] }));

/** @param {Record<string, any>} options */
function main(options) {
  if (!options.name) throw new SchematicsException('Option (name) is required: the feature, e.g. nest g queue orders.');
  const name = strings.dasherize(posix.basename(String(options.name)));
  // The same singular as the resource schematic (schematics/resource/index.js).
  const singular = pluralize.singular(name) === name ? `${name}-item` : pluralize.singular(name);
  const featureDir = `src/features/${name}`;
  const o = { ...strings, name, singular, core: posix.relative(featureDir, 'src/core') };
  return chain([
    (tree) => {
      if (!tree.exists(`${featureDir}/${name}.module.ts`))
        throw new SchematicsException(`${featureDir}/${name}.module.ts not found: generate the feature first (nest g resource ${name})`);
      return tree;
    },
    mergeWith(apply(url('./files/feature/__name__'), [template(o), renameTemplateFiles(), move(featureDir)])),
    options.spec === false ? noop() : mergeWith(apply(url('./files/e2e'), [template(o), renameTemplateFiles(), move('test/e2e/features')])),
    options.skipImport ? noop() : registerInModule(`${featureDir}/${name}.module.ts`, o),
    formatWithPrettier(),
  ]);
}

/** Adds the queue module, the controller and the processor to the feature module's imports, controllers and providers. */
function registerInModule(path, o) {
  return (tree) => {
    const Name = strings.classify(o.name);
    let text = tree.read(path).toString();
    const add = (key, entry) => {
      const start = new RegExp(`\\b${key}:\\s*\\[`).exec(text);
      const end = start ? closingBracket(text, start.index + start[0].length) : -1;
      if (!start || end < 0)
        throw new SchematicsException(
          `${path}: no "${key}: [...]" in @Module() to add ${entry} to; add it by hand (docs/adding-a-feature.md)`,
        );
      const entries = text
        .slice(start.index + start[0].length, end)
        .trim()
        .replace(/,$/, '');
      text = `${text.slice(0, start.index + start[0].length)}${entries ? `${entries}, ` : ''}${entry}${text.slice(end)}`;
    };
    add('imports', `JobsModule.forFeature([${Name}Queue])`);
    add('controllers', `${Name}JobsController`);
    add('providers', `${Name}Processor`);
    const imports = [
      `import { JobsModule } from '${o.core}';`,
      `import { ${Name}JobsController } from './${o.name}-jobs.controller';`,
      `import { ${Name}Processor } from './${o.name}.processor';`,
      `import { ${Name}Queue } from './${o.name}.queue';`,
    ];
    const last = [...text.matchAll(/^import .*;$/gm)].at(-1);
    const at = last ? last.index + last[0].length : 0;
    text = `${text.slice(0, at)}\n${imports.join('\n')}${text.slice(at)}`;
    tree.overwrite(path, text);
    return tree;
  };
}

/** The index of the `]` that closes the array whose content starts at `from` (nested brackets skipped); -1 if none. */
function closingBracket(text, from) {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '[' || text[i] === '(' || text[i] === '{') depth++;
    else if (text[i] === ']' || text[i] === ')' || text[i] === '}') {
      if (depth === 0) return text[i] === ']' ? i : -1;
      depth--;
    }
  }
  return -1;
}

/** Formats every file this schematic wrote with the repository's Prettier settings. */
function formatWithPrettier() {
  return async (tree) => {
    const prettier = require('prettier');
    const written = new Set(tree.actions.filter((a) => a.kind === 'c' || a.kind === 'o').map((a) => a.path));
    for (const path of written) {
      if (!/\.ts$/.test(path)) continue;
      const filepath = posix.join(process.cwd(), path);
      const config = (await prettier.resolveConfig(filepath)) ?? {};
      tree.overwrite(path, await prettier.format(tree.read(path).toString(), { ...config, filepath }));
    }
    return tree;
  };
}

module.exports = { main };
