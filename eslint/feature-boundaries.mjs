// @ts-check
import { dirname, relative, resolve, sep } from 'node:path';
import rawSql from './tenant-raw-sql.mjs';

/**
 * ESLint rule `chassis/feature-imports`: what a file under
 * src/features/<feature>/ may import from this repository.
 *
 * - its own feature's files;
 * - the chassis only through its public API, src/core/index.ts;
 * - another feature only through that feature's public API,
 *   src/features/<other>/index.ts, never its internals (services, entities…);
 * - nothing else of the repository (src/app.module.ts, test/, scripts/…).
 *
 * Relative specifiers and baseUrl ones (`src/...`, tsconfig `baseUrl: "./"`)
 * are resolved against the file; packages are left to no-restricted-imports.
 */
const root = resolve(import.meta.dirname, '..');
const featuresDir = resolve(root, 'src', 'features');
const coreDir = resolve(root, 'src', 'core');

/** @param {string} file @param {string} specifier @returns {string | null} the absolute target, or null for a package */
function target(file, specifier) {
  if (specifier.startsWith('.')) return resolve(dirname(file), specifier);
  if (specifier === 'src' || specifier.startsWith('src/')) return resolve(root, specifier);
  return null;
}

/** @param {string} path */
const stripIndex = (path) => path.replace(/[/\\]index(\.ts)?$/, '').replace(/\.ts$/, '');

/** @param {string} file @param {string} imported @returns {string | null} the problem, or null when allowed */
export function featureImportProblem(file, imported) {
  const fromRel = relative(featuresDir, file);
  if (fromRel.startsWith('..') || !fromRel.includes(sep)) return null; // not inside a feature folder (e.g. features.module.ts)
  const feature = fromRel.split(sep)[0];
  const to = stripIndex(imported);
  const toFeatureRel = relative(featuresDir, to);
  if (!toFeatureRel.startsWith('..') && toFeatureRel !== '') {
    const other = toFeatureRel.split(sep)[0];
    if (other === feature) return null;
    if (toFeatureRel === other && !other.includes('.')) return null; // src/features/<other>/index.ts: its public API
    return `a feature does not import another feature's internals (${other}): import from "src/features/${other}" (its index.ts) only what it exports there`;
  }
  if (to === coreDir) return null;
  if (!relative(coreDir, to).startsWith('..'))
    return 'Features import the chassis only through its public API: import { … } from "../../core".';
  return `a feature imports only its own files, the chassis's public API (src/core) and other features' index.ts, not ${relative(root, imported) || '.'}`;
}

/** @type {import('eslint').Rule.RuleModule} */
const featureImports = {
  meta: {
    type: 'problem',
    docs: { description: "Feature files import only their own files, core's public API and other features' index.ts" },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    /** @param {import('estree').Node} node @param {unknown} value */
    const check = (node, value) => {
      if (typeof value !== 'string') return;
      const resolved = target(file, value);
      if (resolved === null) return;
      const problem = featureImportProblem(file, resolved);
      if (problem) context.report({ node, message: problem });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node.arguments[0], node.arguments[0].value);
        }
      },
    };
  },
};

export default { meta: { name: 'chassis' }, rules: { 'feature-imports': featureImports, 'raw-sql': rawSql } };
