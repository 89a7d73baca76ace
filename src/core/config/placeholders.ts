/**
 * Values copied from examples that must never reach a real deployment.
 * Compared case-insensitively against secret-bearing settings.
 */
const PLACEHOLDERS = ['changeme', 'change-me', 'change_me', 'replace-me', 'placeholder', 'example'];

/** Whether a secret contains one of the example placeholders (`changeme`, `example`…). */
export function isPlaceholder(secret: string): boolean {
  const lowered = secret.toLowerCase();
  return PLACEHOLDERS.some((placeholder) => lowered.includes(placeholder));
}
