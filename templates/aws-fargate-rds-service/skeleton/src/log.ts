/**
 * One JSON object per line on stdout: CloudWatch Logs (the awslogs driver) keeps each line as an
 * event and Logs Insights parses the fields.
 */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
}
