/**
 * Runs the @nestjs/swagger CLI plugin under ts-jest, as `nest build` runs it,
 * so the OpenAPI document in e2e tests has the same DTO schemas as production.
 * (The shape ts-jest expects of an AST transformer: name, version, factory.)
 */
const plugin = require('@nestjs/swagger/plugin');
const options = require('../../nest-cli.json').compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger').options;

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (compiler) => plugin.before(options, compiler.program);
