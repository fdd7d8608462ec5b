import { translateErrorIn, translateIn, type Locale, type MessageKey, type MessageParams } from '../i18n';
import { adminCodes } from '../i18n/messages/admin-codes';
import { adminConsole } from '../i18n/messages/admin-console';
import { adminPlans } from '../i18n/messages/admin-plans';
import { adminRebates } from '../i18n/messages/admin-rebates';
import { adminRecharge } from '../i18n/messages/admin-recharge';
import { alerts } from '../i18n/messages/alerts';
import { common } from '../i18n/messages/common';
import { docs } from '../i18n/messages/docs';
import { errors } from '../i18n/messages/errors';
import { external } from '../i18n/messages/external';
import { enterprises } from '../i18n/messages/enterprises';
import { invites } from '../i18n/messages/invites';
import { keys } from '../i18n/messages/keys';
import { outage } from '../i18n/messages/outage';
import { plans } from '../i18n/messages/plans';
import { prices } from '../i18n/messages/prices';
import { recharge } from '../i18n/messages/recharge';
import { redeem } from '../i18n/messages/redeem';
import { usage } from '../i18n/messages/usage';

/** Every area, by file name: the server (emails, CSV headers, the outage page) may say anything. */
export const areas = {
	'admin-codes': adminCodes,
	'admin-console': adminConsole,
	'admin-plans': adminPlans,
	'admin-rebates': adminRebates,
	'admin-recharge': adminRecharge,
	alerts,
	common,
	docs,
	errors,
	external,
	enterprises,
	invites,
	keys,
	outage,
	plans,
	prices,
	recharge,
	redeem,
	usage
};
type AnyArea = (typeof areas)[keyof typeof areas];

// The check that each area names in English every key it names in Chinese.
const all: readonly AnyArea[] = Object.values(areas satisfies { [N in keyof typeof areas]: { en: Record<keyof (typeof areas)[N]['zh-CN'], string> } });

export function translate<K extends MessageKey<AnyArea>>(locale: Locale, key: K, params?: MessageParams<AnyArea, K>): string {
	return translateIn(all, locale, key, params);
}

export function translateError(locale: Locale, message: string): string {
	return translateErrorIn(all, locale, message);
}
