import { AlipaySdk } from 'alipay-sdk';
import { decimalToMinor, minorToDecimal, type PaymentProvider } from './types';

export interface AlipayKeys {
	appId: string;
	privateKey: string;
	alipayPublicKey: string;
	gateway?: string;
}

const PAID_STATUSES = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

/** Alipay page pay (alipay.trade.page.pay, a signed GET URL) and its form-encoded async notify. */
export function alipayProvider(keys: AlipayKeys): PaymentProvider {
	const sdk = new AlipaySdk({
		appId: keys.appId,
		privateKey: keys.privateKey,
		alipayPublicKey: keys.alipayPublicKey,
		keyType: keys.privateKey.includes('BEGIN RSA PRIVATE KEY') ? 'PKCS1' : 'PKCS8',
		...(keys.gateway ? { gateway: keys.gateway } : {})
	});
	return {
		id: 'alipay',
		currency: 'CNY',
		async createCheckout(order) {
			const url = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
				bizContent: {
					out_trade_no: order.publicId,
					total_amount: minorToDecimal(order.chargeMinor),
					subject: order.description,
					product_code: 'FAST_INSTANT_TRADE_PAY'
				},
				returnUrl: order.returnUrl,
				notifyUrl: order.notifyUrl
			});
			return { checkout_url: url };
		},
		async verifyNotification({ rawBody }) {
			const params = Object.fromEntries(new URLSearchParams(rawBody));
			if (!params.sign) return { ok: false, reason: 'bad_signature', detail: 'no sign' };
			// Values are already form-decoded, so verify them as they are (V2 does not decode again).
			if (!sdk.checkNotifySignV2(params)) return { ok: false, reason: 'bad_signature' };
			if (params.app_id && params.app_id !== keys.appId) return { ok: false, reason: 'malformed', detail: 'app_id' };
			const minor = decimalToMinor(params.total_amount);
			if (!params.out_trade_no || !params.trade_no || minor === null) return { ok: false, reason: 'malformed' };
			if (!PAID_STATUSES.has(params.trade_status)) return { ok: false, reason: 'ignored', detail: params.trade_status };
			return {
				ok: true,
				notice: {
					order_public_id: params.out_trade_no,
					amount_minor: minor,
					currency: 'CNY',
					status: 'paid',
					payment_id: params.trade_no
				}
			};
		}
	};
}
