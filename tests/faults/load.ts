/** Usage load for the fault suite: clients posting batches of events, some with request ids already sent. */

export interface Answer {
	status: 'settled' | 'duplicate' | 'rejected';
	cost?: number;
}

export interface RequestRecord {
	startedAt: number;
	latencyMs: number;
	/** HTTP status; 0 when no answer came (connection refused or reset, or the client timeout). */
	status: number;
	retryAfter: string | null;
}

interface UsageEvent {
	request_id: string;
	user_id: number;
	model: string;
	input_tokens: number;
	output_tokens: number;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** Share of events in a request that repeat an id already sent (a gateway retrying). */
const REPEAT_SHARE = 0.2;

export class UsageLoad {
	readonly events = new Map<string, UsageEvent>();
	readonly answers = new Map<string, Answer[]>();
	readonly unanswered = new Set<string>();
	readonly requests: RequestRecord[] = [];
	eventsSent = 0;
	private sequence = 0;
	private stopped = false;
	private waiters: { after: number; resolve: (at: number) => void }[] = [];

	constructor(private readonly opts: { baseUrl: string; apiKey: string; model: string; userIds: number[]; clients: number }) {}

	private newEvent(): UsageEvent {
		const event = {
			request_id: `f-${++this.sequence}`,
			user_id: this.opts.userIds[this.sequence % this.opts.userIds.length],
			model: this.opts.model,
			input_tokens: 100 + (this.sequence % 900),
			output_tokens: 50 + (this.sequence % 400)
		};
		this.events.set(event.request_id, event);
		return event;
	}

	private repeatedEvent(): UsageEvent | undefined {
		if (this.sequence < 10) return undefined;
		return this.events.get(`f-${1 + Math.floor(Math.random() * this.sequence)}`);
	}

	/** Posts one batch; records the request and each event's answer. True when the events were answered. */
	async post(batch: UsageEvent[]): Promise<boolean> {
		const startedAt = Date.now();
		let status = 0;
		let retryAfter: string | null = null;
		let results: { request_id: string; status: Answer['status']; cost?: number }[] = [];
		try {
			const response = await fetch(`${this.opts.baseUrl}/api/v1/usage`, {
				method: 'POST',
				headers: { authorization: `Bearer ${this.opts.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({ events: batch }),
				signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
			});
			status = response.status;
			retryAfter = response.headers.get('retry-after');
			const body = await response.json();
			if (status === 200) results = body.results;
		} catch {
			status = status || 0;
		}
		const finishedAt = Date.now();
		this.requests.push({ startedAt, latencyMs: finishedAt - startedAt, status, retryAfter });
		this.eventsSent += batch.length;
		if (status !== 200) {
			for (const e of batch) if (!this.answers.has(e.request_id)) this.unanswered.add(e.request_id);
			return false;
		}
		for (const r of results) {
			const list = this.answers.get(r.request_id) ?? [];
			list.push({ status: r.status, cost: r.cost });
			this.answers.set(r.request_id, list);
			this.unanswered.delete(r.request_id);
		}
		for (const w of this.waiters.filter((x) => startedAt >= x.after)) w.resolve(finishedAt);
		this.waiters = this.waiters.filter((x) => startedAt < x.after);
		return true;
	}

	/** Runs the clients until `stop()`. */
	async run(): Promise<void> {
		const client = async () => {
			while (!this.stopped) {
				const size = 1 + Math.floor(Math.random() * 4);
				const batch: UsageEvent[] = [];
				for (let i = 0; i < size; i++) {
					const repeat = Math.random() < REPEAT_SHARE ? this.repeatedEvent() : undefined;
					const event = repeat ?? this.newEvent();
					if (!batch.some((e) => e.request_id === event.request_id)) batch.push(event);
				}
				const answered = await this.post(batch);
				await new Promise((r) => setTimeout(r, answered ? 10 : 100));
			}
		};
		await Promise.all(Array.from({ length: this.opts.clients }, client));
	}

	async stop(): Promise<void> {
		this.stopped = true;
	}

	/** When the first request started after `after` was answered; rejects after `boundMs`. */
	firstAnswerAfter(after: number, boundMs: number): Promise<number> {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no answer within ${boundMs} ms`)), boundMs);
			this.waiters.push({
				after,
				resolve: (at) => {
					clearTimeout(timer);
					resolve(at);
				}
			});
		});
	}

	/** Sends every event that got no answer again, as a gateway would; returns how many were retried. */
	async retryUnanswered(): Promise<number> {
		const retried = this.unanswered.size;
		for (let round = 0; round < 20 && this.unanswered.size > 0; round++) {
			const ids = [...this.unanswered];
			for (let i = 0; i < ids.length; i += 200) await this.post(ids.slice(i, i + 200).map((id) => this.events.get(id)!));
			if (this.unanswered.size > 0) await new Promise((r) => setTimeout(r, 500));
		}
		return retried;
	}
}
