import { alerts } from './messages/alerts';
import { codes } from './messages/codes';
import { common } from './messages/common';
import { docs } from './messages/docs';
import { external } from './messages/external';
import { adminConsole } from './messages/admin-console';
import { groups } from './messages/groups';
import { invites } from './messages/invites';
import { keys } from './messages/keys';
import { outage } from './messages/outage';
import { plans } from './messages/plans';
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
	...alerts['zh-CN'],
	...codes['zh-CN'],
	...invites['zh-CN'],
	...plans['zh-CN'],
	...docs['zh-CN'],
	...adminConsole['zh-CN']
} satisfies Record<string, string>;
export type MessageKey = keyof typeof catalog;

const enCatalog = { ...common.en, ...usage.en, ...recharge.en, ...groups.en, ...keys.en, ...outage.en, ...external.en, ...codes.en, ...invites.en, ...plans.en, ...alerts.en, ...docs.en, ...adminConsole.en } satisfies Record<MessageKey, string>;

const messages: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': catalog, en: enCatalog };

/** The `{name}` placeholders of a message text, as a union of their names. */
type Placeholders<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/**
 * The parameters a message takes, from its texts in both languages: a name the message does not
 * have (a misspelt `{nmae}` on either side) fails the type check.
 */
export type MessageParams<K extends MessageKey> = ParamsFor<Placeholders<(typeof catalog)[K]> | Placeholders<(typeof enCatalog)[K]>>;
type ParamsFor<Name extends string> = [Name] extends [never] ? Record<string, never> : Partial<Record<Name, string | number>>;

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

export function translate<K extends MessageKey>(locale: Locale, key: K, params?: MessageParams<K>): string {
	const template = messages[locale][key] ?? messages['zh-CN'][key] ?? key;
	if (!params) return template;
	const values: Record<string, string | number | undefined> = params;
	return template.replace(/\{(\w+)\}/g, (_, name: string) => (name in values ? String(values[name]) : `{${name}}`));
}

/** Server error messages are message keys where one exists ('invalid_credentials', 'too_many_attempts:30'). */
export function translateError(locale: Locale, message: string): string {
	const [code, arg] = message.split(':');
	const key = `error.${code}` as MessageKey;
	// The argument's unit is named by the message: too_many_attempts carries seconds, too_many_registrations minutes.
	if (key in messages[locale]) return translate(locale, key, { seconds: arg ?? '', minutes: arg ?? '' });
	return message;
}
