/**
 * Whether a dependency is in an outage, for logs that speak once per outage:
 * {@link down} calls `onDown` only on the first failure of an outage, {@link up}
 * calls `onUp` only when one ends. Reconnection attempts (every second or so)
 * then cost one warning and one info line, not a line each.
 */
export class OutageState {
  private inOutage = false;

  constructor(
    private readonly onDown: (error: unknown) => void,
    private readonly onUp: () => void,
  ) {}

  /** A failure: reported when it starts an outage. */
  down(error: unknown): void {
    if (this.inOutage) return;
    this.inOutage = true;
    this.onDown(error);
  }

  /** A success: reported when it ends an outage. */
  up(): void {
    if (!this.inOutage) return;
    this.inOutage = false;
    this.onUp();
  }
}
