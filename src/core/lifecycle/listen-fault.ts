/** Listen errors that are the environment's doing, with the hint an operator needs. */
const LISTEN_FAULTS: Record<string, string> = {
  EADDRINUSE: 'the address is already in use (another process listens there): set PORT (or HOST) to a free one',
  EACCES: 'permission denied (a port below 1024 needs privileges): set PORT to 1024 or above',
  EADDRNOTAVAIL: 'the address is not available on this host: check HOST',
};

/** The operator hint for a listen error, or undefined when it is not one of the known environment faults. */
export function listenFaultHint(error: unknown): { code: string; hint: string } | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && LISTEN_FAULTS[code] ? { code, hint: LISTEN_FAULTS[code] } : undefined;
}
