/** A plain object (not null, not an array): what a parsed template's sections and resources are. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
