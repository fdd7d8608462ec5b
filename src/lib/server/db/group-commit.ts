import { isDatabaseUnavailable } from './outage';
import type { Db } from './client';
import { withRetry } from './retry';

export interface GroupCommitOptions<Request, Answer> {
	/** One transaction for the batch: each request's answer, or the error it alone fails with, in order. */
	commit: (batch: Request[]) => Promise<Array<Answer | Error>>;
	/** Errors after which the whole batch is tried again as it is. */
	retryable: (err: unknown) => boolean;
	/** Default 500. */
	maxPerTransaction?: number;
	/** Batches in flight at once per process; each holds one pooled connection. Default 2. */
	concurrentBatches?: number;
	/** Default 6. */
	maxAttempts?: number;
}

interface Waiting<Request, Answer> {
	request: Request;
	done: (answer: Answer) => void;
	fail: (err: unknown) => void;
}

/**
 * Group commit: calls arriving while a batch is in flight wait and go together in the next one, so
 * many concurrent calls share one transaction. A caller's promise resolves only after its batch
 * committed. A batch that still fails after its retries is split in halves that are tried again, so
 * one request the database refuses fails alone (a database outage fails the batch at once).
 */
export class GroupCommit<Request, Answer> {
	private waiting: Array<Waiting<Request, Answer>> = [];
	private running = 0;
	private readonly options: Required<GroupCommitOptions<Request, Answer>>;
	constructor(options: GroupCommitOptions<Request, Answer>) {
		this.options = { maxPerTransaction: 500, concurrentBatches: 2, maxAttempts: 6, ...options };
	}

	submit(request: Request): Promise<Answer> {
		const answer = new Promise<Answer>((done, fail) => this.waiting.push({ request, done, fail }));
		this.pump();
		return answer;
	}

	private pump() {
		while (this.running < this.options.concurrentBatches && this.waiting.length > 0) {
			const batch = this.waiting.splice(0, this.options.maxPerTransaction);
			this.running++;
			void this.run(batch).finally(() => {
				this.running--;
				this.pump();
			});
		}
	}

	private async run(batch: Array<Waiting<Request, Answer>>): Promise<void> {
		if (batch.length === 0) return;
		let outcomes: Array<Answer | Error>;
		try {
			const requests = batch.map((w) => w.request);
			outcomes = await withRetry(() => this.options.commit(requests), this.options.retryable, this.options.maxAttempts);
		} catch (err) {
			if (batch.length === 1 || isDatabaseUnavailable(err)) {
				for (const w of batch) w.fail(err);
				return;
			}
			const half = Math.ceil(batch.length / 2);
			await this.run(batch.slice(0, half));
			await this.run(batch.slice(half));
			return;
		}
		batch.forEach((w, i) => {
			const outcome = outcomes[i];
			if (outcome instanceof Error) w.fail(outcome);
			else w.done(outcome);
		});
	}
}

/** One queue per database handle, made on first use. */
export function groupCommitPerDb<Request, Answer>(options: (db: Db) => GroupCommitOptions<Request, Answer>): (db: Db) => GroupCommit<Request, Answer> {
	const queues = new WeakMap<Db, GroupCommit<Request, Answer>>();
	return (db) => {
		let queue = queues.get(db);
		if (!queue) {
			queue = new GroupCommit(options(db));
			queues.set(db, queue);
		}
		return queue;
	};
}
