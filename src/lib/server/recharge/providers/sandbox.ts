import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client';
import { settings } from '../../db/schema';
import { config } from '../../config';
import { decimalToMinor, type PaymentProvider } from './types';

export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature';
const GENERATED_SECRET_KEY = 'payment_sandbox';

export function signSandboxBody(rawBody: string, secret: string): string {
	return createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex');
}

const sandboxBody = z.object({
	order_id: z.string().min(1).max(64),
	amount: z.union([z.string(), z.number()]),
	currency: z.string().regex(/^[A-Z]{3}$/),
	status: z.enum(['paid', 'failed']),
	payment_id: z.string().min(1).max(128)
});

/**
 * The sandbox secret: PAYMENT_SANDBOX_SECRET when configured; otherwise, only in demo
 * mode (SEED_DEMO), a random secret generated once and kept in the settings table so
 * every app instance agrees. Null means the sandbox is not offered.
 */
export async function sandboxSecret(db: DbOrTx): Promise<string | null> {
	const cfg = config();
	if (cfg.PAYMENT_SANDBOX_SECRET) return cfg.PAYMENT_SANDBOX_SECRET;
	if (!cfg.SEED_DEMO) return null;
	await db
		.insert(settings)
		.values({ key: GENERATED_SECRET_KEY, value: { secret: randomBytes(32).toString('hex') } })
		.onConflictDoNothing({ target: settings.key });
	const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, GENERATED_SECRET_KEY));
	return (row?.value as { secret?: string } | undefined)?.secret ?? null;
}

export function sandboxProvider(secret: string, currency: string): PaymentProvider {
	return {
		id: 'sandbox',
		currency,
		async createCheckout(order) {
			return { checkout_url: `${order.origin}/recharge/sandbox/${encodeURIComponent(order.publicId)}` };
		},
		async verifyNotification({ rawBody, headers }) {
			const given = headers.get(SANDBOX_SIGNATURE_HEADER) ?? '';
			const expected = Buffer.from(signSandboxBody(rawBody, secret), 'hex');
			const received = /^[0-9a-f]{64}$/i.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(0);
			if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
				return { ok: false, reason: 'bad_signature' };
			}
			let json: unknown;
			try {
				json = JSON.parse(rawBody);
			} catch {
				return { ok: false, reason: 'malformed', detail: 'body is not JSON' };
			}
			const body = sandboxBody.safeParse(json);
			const minor = body.success ? decimalToMinor(body.data.amount) : null;
			if (!body.success || minor === null) return { ok: false, reason: 'malformed', detail: 'unexpected fields' };
			return {
				ok: true,
				notice: {
					order_public_id: body.data.order_id,
					amount_minor: minor,
					currency: body.data.currency,
					status: body.data.status,
					payment_id: body.data.payment_id
				}
			};
		}
	};
}
