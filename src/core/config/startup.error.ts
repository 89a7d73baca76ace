/**
 * A startup failure already logged as one line in the chassis's format, naming
 * the setting to change (a port in use, a database that cannot be reached or
 * refuses the role): the entry point exits 1 without printing it again or a
 * stack trace.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
