import { log } from '../log';
import { isDatabaseUnavailable } from './outage';

const PROBE_TIMEOUT_MS = 3000;

/**
 * Remembers that the database is down so requests fail at once instead of each waiting for a
 * connection attempt. The first error that means "unavailable" opens it; a probe then runs every
 * `intervalMs` and closes it as soon as the database answers again.
 */
export class DatabaseCircuit {
	private downSince: number | null = null;

	constructor(
		private readonly probe: () => Promise<unknown>,
		private readonly intervalMs = 500
	) {}

	/** The database is known to be down. */
	get open(): boolean {
		return this.downSince !== null;
	}

	/** True when `err` means the database is unavailable; then the circuit opens until a probe succeeds. */
	report(err: unknown): boolean {
		if (!isDatabaseUnavailable(err)) return false;
		if (this.downSince === null) {
			this.downSince = Date.now();
			log.warn({ err: reasonOf(err) }, 'database unavailable; answering 503 until it is back');
			void this.watch();
		}
		return true;
	}

	private async watch(): Promise<void> {
		while (this.downSince !== null) {
			await new Promise((r) => setTimeout(r, this.intervalMs).unref?.());
			let timer: NodeJS.Timeout | undefined;
			try {
				await Promise.race([
					this.probe(),
					new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('probe timed out')), PROBE_TIMEOUT_MS)))
				]);
				log.info({ down_ms: Date.now() - this.downSince }, 'database available again');
				this.downSince = null;
			} catch {
				// still down; probe again
			} finally {
				clearTimeout(timer);
			}
		}
	}
}

function reasonOf(err: unknown): string {
	let current = err as { message?: string; cause?: unknown } | undefined;
	while (current?.cause && typeof current.cause === 'object') current = current.cause as typeof current;
	return current?.message ?? String(err);
}
