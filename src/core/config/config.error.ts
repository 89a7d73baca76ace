/**
 * Thrown at boot when the environment does not validate. The message lists
 * every bad variable and why, one per line, so one restart fixes them all.
 */
export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}
