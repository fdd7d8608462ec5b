import { formatMoney, type MoneyConfig } from '../../money';
import type { Locale } from '../../i18n';
import { translate } from '../i18n';
import type { AlertKind } from '../db/schema';

export interface AlertFacts {
	alertId: number;
	kind: AlertKind;
	balance: number;
	threshold: number;
	percent: number | null;
	userId: number | null;
	enterpriseId: number | null;
	enterpriseName: string | null;
	createdAt: Date;
}

/** One sentence saying what happened, in the recipient's language. */
export function alertText(locale: Locale, a: Pick<AlertFacts, 'kind' | 'balance' | 'threshold' | 'percent' | 'enterpriseName'>, money: MoneyConfig): string {
	const params = {
		balance: formatMoney(a.balance, money),
		threshold: formatMoney(a.threshold, money),
		percent: a.percent ?? 0,
		enterprise: a.enterpriseName ?? ''
	};
	const scope = a.enterpriseName === null ? 'own' : 'enterprise';
	return translate(locale, `alerts.${a.kind}.${scope}`, params);
}

/** The webhook body (docs/alerts.md). */
export function webhookPayload(deliveryId: number, a: AlertFacts, text: string, money: MoneyConfig) {
	return {
		delivery_id: deliveryId,
		alert_id: a.alertId,
		type: a.kind,
		created_at: a.createdAt.toISOString(),
		wallet: a.enterpriseId === null ? { owner: 'user', user_id: a.userId } : { owner: 'enterprise', enterprise_id: a.enterpriseId, enterprise_name: a.enterpriseName },
		balance_credits: a.balance,
		threshold_credits: a.threshold,
		percent: a.percent,
		currency: money.currency,
		credits_per_unit: money.creditsPerUnit,
		message: text
	};
}
