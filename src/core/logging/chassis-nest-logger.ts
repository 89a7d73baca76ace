import { Logger, PinoLogger } from 'nestjs-pino';
import type { Logger as RootLogger } from 'pino';
import { StartupError } from '../config/startup.error';
import { pinoParams } from './pino-options';

/** Nest's own line at the end of `app.init()`: it says "started" before the address is bound. */
const NEST_STARTED = 'Nest application successfully started';
/** Nest's copy of a listen error (`Error: listen EADDRINUSE: …`), which `app.listen()` also rejects with. */
const NEST_LISTEN_ERROR = /^Error: listen /;

/**
 * Nest's logger (nestjs-pino) on the app's root pino logger, given to Nest
 * from its first line, so every boot line is JSON in the chassis's format
 * (buffered lines would otherwise be printed in Nest's default format when
 * the boot fails). Three of Nest's lines are dropped:
 *
 * - `Nest application successfully started` (`NestApplication`): logged before
 *   listening, so it preceded listen failures; the ready line (`serve()`),
 *   written once the address is bound, is the one success line.
 * - the `ExceptionHandler` error of a {@link StartupError}: its one fatal line
 *   was written already, without a stack.
 * - Nest's `Error: listen …` line (`NestApplication`): `app.listen()` rejects
 *   with the same error, which `serve()` logs as one fatal line naming
 *   `PORT`/`HOST` (or rethrows, and the entry point prints it).
 */
export class ChassisNestLogger extends Logger {
  constructor(root: RootLogger) {
    const params = pinoParams(root);
    super(new PinoLogger(params), params);
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    if (message === NEST_STARTED && optionalParams.at(-1) === 'NestApplication') return;
    super.log(message, ...optionalParams);
  }

  override error(message: unknown, ...optionalParams: unknown[]): void {
    if (message instanceof StartupError) return;
    if (typeof message === 'string' && NEST_LISTEN_ERROR.test(message) && optionalParams.at(-1) === 'NestApplication') return;
    super.error(message, ...optionalParams);
  }
}
