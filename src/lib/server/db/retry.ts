/** The SQLSTATE of a database error, also when drizzle wraps the driver's error in `cause`. */
export function sqlStateOf(err: unknown): string | undefined {
	return (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
}

/** A serialization failure or a deadlock: the transaction lost a race and may simply run again. */
export function isTransactionConflict(err: unknown): boolean {
	const code = sqlStateOf(err);
	return code === '40001' || code === '40P01';
}

/** Runs `work` again, after a short random pause growing with each attempt, while `retryable(err)` holds, `attempts` times at most. */
export async function withRetry<T>(work: () => Promise<T>, retryable: (err: unknown) => boolean, attempts: number): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await work();
		} catch (err) {
			if (attempt >= attempts || !retryable(err)) throw err;
			await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
		}
	}
}
