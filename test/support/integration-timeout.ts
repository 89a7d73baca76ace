/**
 * The integration project's time per test. Jest reads `testTimeout` only from
 * the global configuration (a project's own is ignored), so the project sets
 * it here, after the test framework is installed: real PostgreSQL/Redis and
 * several app boots per suite make 5 s too tight on a loaded 2-core machine.
 */
jest.setTimeout(30_000);
