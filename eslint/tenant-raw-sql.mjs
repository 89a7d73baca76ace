// @ts-check
/**
 * ESLint rule `chassis/raw-sql`: a feature runs no raw SQL through TypeORM
 * and builds no data source of its own (docs/tenancy.md). Both escape the
 * tenant scope the chassis adds to every query TypeORM builds for a
 * `@TenantScoped()` entity: raw SQL is bound only by row-level security on
 * PostgreSQL (nothing on SQLite), and a data source of its own is not scoped at
 * all. Repositories, entity managers and query builders are scoped, so the
 * rule refuses only:
 *
 * - `.query(…)` and the `` .sql`…` `` tag of any TypeORM object (data source,
 *   entity manager, repository, query runner), found by the method's
 *   declaration in the typeorm package, whatever the variable is called;
 * - `new DataSource(…)` of typeorm.
 *
 * A feature that needs raw SQL on a table that is not tenant-scoped disables
 * the rule on that line with a reason (`// eslint-disable-next-line chassis/raw-sql -- …`).
 */

const TYPEORM = /[/\\]node_modules[/\\]typeorm[/\\]/;
const RAW_SQL_METHODS = new Set(['query', 'sql']);

/** @param {import('typescript').Symbol | undefined} symbol */
const declaredInTypeorm = (symbol) =>
  (symbol?.declarations ?? []).some((declaration) => TYPEORM.test(declaration.getSourceFile().fileName));

/** @type {import('eslint').Rule.RuleModule} */
const rawSql = {
  meta: {
    type: 'problem',
    docs: { description: 'Features run no raw SQL through TypeORM and build no data source of their own (tenant scope)' },
    schema: [],
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    if (!services?.program || !services.esTreeNodeToTSNodeMap) return {};
    const checker = services.program.getTypeChecker();
    /** @param {import('estree').Node} node */
    const symbolOf = (node) => checker.getSymbolAtLocation(services.esTreeNodeToTSNodeMap.get(node));
    /** @param {import('estree').Node} callee */
    const isRawSql = (callee) =>
      callee.type === 'MemberExpression' &&
      callee.property.type === 'Identifier' &&
      RAW_SQL_METHODS.has(callee.property.name) &&
      declaredInTypeorm(symbolOf(callee.property));
    const report = (/** @type {import('estree').Node} */ node) =>
      context.report({
        node,
        message:
          'Raw SQL escapes the tenant scope (only PostgreSQL row-level security binds it; nothing on SQLite): use the repository or a query builder (docs/tenancy.md).',
      });
    return {
      CallExpression: (node) => isRawSql(node.callee) && report(node),
      TaggedTemplateExpression: (node) => isRawSql(node.tag) && report(node),
      NewExpression: (node) => {
        const type = checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node));
        if (type.getSymbol()?.getName() === 'DataSource' && declaredInTypeorm(type.getSymbol()))
          context.report({
            node,
            message:
              "A data source of a feature's own is not tenant-scoped and has no pool limits of the chassis: inject the repository (TypeOrmModule.forFeature) instead.",
          });
      },
    };
  },
};

export default rawSql;
