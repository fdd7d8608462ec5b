import type { PaymentMethod } from '$lib/schemas/recharge';
import type { DbOrTx } from '../../db/client';
import { config } from '../../config';
import { alipayProvider } from './alipay';
import { sandboxProvider, sandboxSecret } from './sandbox';
import { stripeProvider } from './stripe';
import type { PaymentProvider } from './types';

/** One provider by id, or null when its secrets are not configured (then it is not offered). */
export async function paymentProvider(db: DbOrTx, id: PaymentMethod): Promise<PaymentProvider | null> {
	const cfg = config();
	switch (id) {
		case 'sandbox': {
			const secret = await sandboxSecret(db);
			return secret ? sandboxProvider(secret, cfg.CURRENCY) : null;
		}
		case 'stripe':
			return cfg.STRIPE_SECRET_KEY && cfg.STRIPE_WEBHOOK_SECRET ? stripeProvider(cfg.STRIPE_SECRET_KEY, cfg.STRIPE_WEBHOOK_SECRET) : null;
		case 'alipay':
			return cfg.ALIPAY_APP_ID && cfg.ALIPAY_PRIVATE_KEY && cfg.ALIPAY_PUBLIC_KEY
				? alipayProvider({
						appId: cfg.ALIPAY_APP_ID,
						privateKey: cfg.ALIPAY_PRIVATE_KEY,
						alipayPublicKey: cfg.ALIPAY_PUBLIC_KEY,
						gateway: cfg.ALIPAY_GATEWAY
					})
				: null;
	}
}

export async function enabledMethods(db: DbOrTx): Promise<PaymentMethod[]> {
	const all: PaymentMethod[] = ['sandbox', 'alipay', 'stripe'];
	const found = await Promise.all(all.map(async (id) => ((await paymentProvider(db, id)) ? id : null)));
	return found.filter((id): id is PaymentMethod => id !== null);
}
