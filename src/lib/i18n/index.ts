import { codes } from './messages/codes';
import { common } from './messages/common';
import { external } from './messages/external';
import { adminConsole } from './messages/admin-console';
import { groups } from './messages/groups';
import { invites } from './messages/invites';
import { keys } from './messages/keys';
import { outage } from './messages/outage';
import { recharge } from './messages/recharge';
import { usage } from './messages/usage';

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
export const LOCALE_COOKIE = 'tally_locale';

/** Every area's messages; each file holds both languages so a missing translation fails the type check. */
const catalog = {
	...common['zh-CN'],
	...usage['zh-CN'],
	...recharge['zh-CN'],
	...groups['zh-CN'],
	...keys['zh-CN'],
	...outage['zh-CN'],
	...external['zh-CN'],
	...codes['zh-CN'],
	...invites['zh-CN'],
	...adminConsole['zh-CN']
} satisfies Record<string, string>;
export type MessageKey = keyof typeof catalog;

const messages: Record<Locale, Record<MessageKey, string>> = {
	'zh-CN': catalog,
	en: { ...common.en, ...usage.en, ...recharge.en, ...groups.en, ...keys.en, ...outage.en, ...external.en, ...codes.en, ...invites.en, ...adminConsole.en }
};

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

export function pickLocale(cookie: string | undefined, userLocale: string | undefined, acceptLanguage: string | null): Locale {
	if (isLocale(cookie)) return cookie;
	if (isLocale(userLocale)) return userLocale;
	if (acceptLanguage && /^en\b/i.test(acceptLanguage.trim())) return 'en';
	return 'zh-CN';
}

export type Params = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
	const template = messages[locale][key] ?? messages['zh-CN'][key] ?? key;
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

/** Server error messages are message keys where one exists ('invalid_credentials', 'too_many_attempts:30'). */
export function translateError(locale: Locale, message: string): string {
	const [code, arg] = message.split(':');
	const key = `error.${code}` as MessageKey;
	// The argument's unit is named by the message: too_many_attempts carries seconds, too_many_registrations minutes.
	if (key in messages[locale]) return translate(locale, key, { seconds: arg ?? '', minutes: arg ?? '' });
	return message;
}
