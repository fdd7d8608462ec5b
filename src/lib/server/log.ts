import pino from 'pino';

/**
 * Where the log goes: stdout, written asynchronously (Node writes to a pipe or file synchronously,
 * which under a busy metering path blocks the event loop on every line); what is buffered is
 * flushed when the process exits.
 */
export const logDestination = pino.destination({ dest: 1, sync: false });

/**
 * The app's structured log: one JSON line per record on stdout. Records about a request carry
 * its `request_id` (the `x-request-id` the client sent, or one made for it).
 */
export const log = pino(
	{
		level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
		base: { app: 'tally' },
		timestamp: pino.stdTimeFunctions.isoTime,
		formatters: { level: (label) => ({ level: label }) }
	},
	logDestination
);

/** Writes whole lines (one structured record each) to the log's stdout without blocking, in order with the log's own records. */
export function writeLogLines(lines: string[]): void {
	if (lines.length > 0) logDestination.write(lines.join('\n') + '\n');
}
