import pino from 'pino';

/**
 * The app's structured log: one JSON line per record on stdout. Records about a request carry
 * its `request_id` (the `x-request-id` the client sent, or one made for it).
 */
export const log = pino({
	level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
	base: { app: 'tally' },
	timestamp: pino.stdTimeFunctions.isoTime,
	formatters: { level: (label) => ({ level: label }) }
});
