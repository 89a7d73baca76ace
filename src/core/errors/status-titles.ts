import { STATUS_CODES } from 'node:http';

/** The standard reason phrase for a status, used as the title of `about:blank` problems. */
export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
