// @ts-check
'use strict';
/**
 * The chassis's `resource` schematic (`nest g resource <name>`): a feature
 * that follows the contract (chassis.json, AGENTS.md) as generated, modelled
 * on src/features/items:
 *
 * - src/features/<name>/: module, controller (owner-scoped CRUD, scopes
 *   `<name>:read` / `<name>:write`, problem responses in OpenAPI), service
 *   (TypeORM repository, AppCache cache-aside, domain errors), entity, DTOs
 *   with class-validator limits, a paginated, sortable list query, index.ts;
 * - migrations/<timestamp>-create-<name>.ts (Table API, portable types),
 *   added to migrations/index.ts;
 * - test/e2e/features/<name>.e2e-spec.ts, which passes as generated;
 * - docs/features/<name>.md;
 * - the module registered in the nearest module up the tree (FeaturesModule);
 * - when tenancy is on (TENANT_CLAIM, option `tenantScoped`): the entity `@TenantScoped()`, the tenant column,
 *   its index and the PostgreSQL row-level security policy in the migration,
 *   and a cross-tenant isolation test in the e2e spec (docs/tenancy.md).
 * - with `--stream`: `GET /<name>/events`, the owner's changes as
 *   Server-Sent Events through the event hub, and its e2e spec.
 *
 * Every other `nest g` schematic comes from @nestjs/schematics (collection.json `extends`).
 * Plain JavaScript so the Nest CLI runs it without a build step.
 */
const { join, normalize, strings } = require('@angular-devkit/core');
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
const { ModuleDeclarator, ModuleFinder, NameParser, mergeSourceRoot } = require('@nestjs/schematics');
const posix = require('node:path').posix;
const pluralize = require(require.resolve('pluralize', { paths: [require.resolve('@nestjs/schematics')] }));

/** @param {Record<string, any>} options */
function main(options) {
  const o = transform(options);
  return chain([
    mergeSourceRoot(o),
    (tree) => {
      o.path = join(normalize(o.path), o.name);
      return tree;
    },
    registerModule(o),
    (tree, context) => mergeWith(featureFiles(o))(tree, context),
    mergeWith(rootFiles(o, 'migration', 'migrations')),
    addToMigrationIndex(o),
    o.spec ? mergeWith(rootFiles(o, 'e2e', 'test/e2e/features')) : noop(),
    o.stream ? (tree, context) => mergeWith(streamFiles(o))(tree, context) : noop(),
    o.stream && o.spec ? mergeWith(rootFiles(o, 'stream-e2e', 'test/e2e/features')) : noop(),
    mergeWith(rootFiles(o, 'docs', 'docs/features')),
    formatWithPrettier(),
    printNextSteps(o),
  ]);
}

/** @param {Record<string, any>} options */
function transform(options) {
  if (!options.name) throw new SchematicsException('Option (name) is required.');
  if (options.language && options.language !== 'ts')
    throw new SchematicsException('The chassis resource schematic generates TypeScript only.');
  if (options.type && options.type !== 'rest')
    throw new SchematicsException('The chassis resource schematic generates REST features only.');
  const location = new NameParser().parse({ name: options.name, path: options.path });
  const name = strings.dasherize(location.name);
  const singular = pluralize.singular(name) === name ? `${name}-item` : pluralize.singular(name);
  return {
    ...options,
    name,
    path: location.path,
    spec: options.spec !== false,
    stream: options.stream === true,
    singular,
    table: strings.underscore(name),
    timestamp: options.timestamp ?? Date.now(),
    tenantScoped: options.tenantScoped ?? tenancyOn(),
  };
}

/**
 * Whether tenancy is on where the generator runs, read the way the app reads
 * it (docs/tenancy.md): TENANT_CLAIM in the environment, else in `.env`; an
 * empty value is unset. The Nest CLI forwards no options of a schematic's own,
 * so this is how `nest g resource` learns that features are tenant-scoped.
 */
function tenancyOn() {
  const fromEnv = process.env.TENANT_CLAIM;
  if (fromEnv !== undefined) return fromEnv.trim() !== '';
  const dotEnv = posix.join(process.cwd(), '.env');
  if (!require('node:fs').existsSync(dotEnv)) return false;
  const claim = require('node:util').parseEnv(require('node:fs').readFileSync(dotEnv, 'utf8')).TENANT_CLAIM;
  return claim !== undefined && claim.trim() !== '';
}

/** Template variables: `classify(name)` = Orders, `classify(singular)` = Order, `table` = orders. */
function templateOptions(o, fromDir) {
  return { ...strings, ...o, core: posix.relative(fromDir, 'src/core') };
}

function featureFiles(o) {
  const featureDir = String(o.path).replace(/^\//, '');
  return apply(url('./files/feature/__name__'), [
    // Files under dto/ and entities/ are one level deeper: their `core` import differs.
    template(templateOptions(o, featureDir)),
    renameTemplateFiles(),
    move(featureDir),
  ]);
}

/** `--stream`: the events controller and the changes publisher, next to the feature's own files. */
function streamFiles(o) {
  const featureDir = String(o.path).replace(/^\//, '');
  return apply(url('./files/stream/__name__'), [template(templateOptions(o, featureDir)), renameTemplateFiles(), move(featureDir)]);
}

function rootFiles(o, kind, target) {
  return apply(url(`./files/${kind}`), [template(templateOptions(o, target)), renameTemplateFiles(), move(target)]);
}

/** Adds `<Name>Module` to the imports of the nearest module up the tree (src/features/features.module.ts). */
function registerModule(o) {
  return (tree) => {
    if (o.skipImport) return tree;
    const module = new ModuleFinder(tree).find({ name: o.name, path: o.path });
    if (!module) return tree;
    const content = tree.read(module).toString();
    tree.overwrite(module, new ModuleDeclarator().declare(content, { ...o, type: 'module', metadata: 'imports', module }));
    return tree;
  };
}

/** migrations/index.ts lists every migration explicitly (glob discovery cannot run under Jest). */
function addToMigrationIndex(o) {
  return (tree) => {
    const index = 'migrations/index.ts';
    const source = tree.read(index);
    if (!source) throw new SchematicsException(`${index} not found: run nest g resource from the repository root`);
    const className = `Create${strings.classify(o.name)}${o.timestamp}`;
    const file = `./${o.timestamp}-create-${o.name}`;
    let text = source.toString();
    const list = /export const migrations = \[([\s\S]*?)\];/.exec(text);
    if (!list) throw new SchematicsException(`${index}: no "export const migrations = [...]" to add ${className} to`);
    const entries = list[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    text = text.replace(list[0], `export const migrations = [${[...entries, className].join(', ')}];`);
    const imports = [...text.matchAll(/^import .*;$/gm)];
    const at = imports.length > 0 ? imports[imports.length - 1].index + imports[imports.length - 1][0].length : 0;
    text = `${text.slice(0, at)}${at > 0 ? '\n' : ''}import { ${className} } from '${file}';${at > 0 ? '' : '\n'}${text.slice(at)}`;
    tree.overwrite(index, text);
    return tree;
  };
}

/** Formats every file this schematic wrote with the repository's Prettier settings, so `npm run format:check` holds. */
function formatWithPrettier() {
  return async (tree) => {
    const prettier = require('prettier');
    const written = new Set(tree.actions.filter((a) => a.kind === 'c' || a.kind === 'o').map((a) => a.path));
    for (const path of written) {
      if (!/\.(ts|md)$/.test(path)) continue;
      const filepath = posix.join(process.cwd(), path);
      const config = (await prettier.resolveConfig(filepath)) ?? {};
      tree.overwrite(path, await prettier.format(tree.read(path).toString(), { ...config, filepath }));
    }
    return tree;
  };
}

function printNextSteps(o) {
  return (tree, context) => {
    context.logger.info(
      [
        '',
        `Feature ${o.name} generated (src/features/${o.name}). Next:`,
        `  1. shape the entity (entities/${o.singular}.entity.ts), its DTOs and migrations/${o.timestamp}-create-${o.name}.ts together`,
        `     (test/e2e/database.e2e-spec.ts fails when entity and migration disagree);`,
        `  2. npm run lint && npm run typecheck && npm test && npm run chassis:check  # since the upstream branch, else main`,
        `  3. npm run chassis:routes  # your routes and their policies`,
      ].join('\n'),
    );
    return tree;
  };
}

module.exports = { main };
