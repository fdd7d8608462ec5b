import { hash } from 'node:crypto';

/** The fields of a usage event as reported, after defaults; what a repeat of its request id must match. */
export interface ReportedPayload {
	userId: number | null;
	apiKeyId: number | null;
	model: string;
	inputTokens: number;
	outputTokens: number;
	/** Images; left out of the hash when 0 so hashes from before images existed still match. */
	images?: number;
	/** The explicit cost when one was reported, else null (a computed cost is not part of the report). */
	cost: number | null;
	/** As reported: null when the client let the server take the arrival time. */
	occurredAt: Date | null;
	metadata: Record<string, unknown> | null;
}

/** JSON with object keys sorted at every depth, so `{a,b}` and `{b,a}` read the same. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** SHA-256 (hex) of the canonical reported payload. */
export function payloadHash(p: ReportedPayload): string {
	const fields = [p.userId, p.apiKeyId, p.model, p.inputTokens, p.outputTokens, p.cost, p.occurredAt?.toISOString() ?? null, p.metadata, ...(p.images ? [p.images] : [])];
	return hash('sha256', canonical(fields));
}
