export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
export const LOCALE_COOKIE = 'tally_locale';

/**
 * One area's messages (a file in ./messages), both languages side by side so a missing translation
 * fails the type check. A page loads only the areas its components name (`useT(recharge)`).
 */
export type Area = { readonly 'zh-CN': Readonly<Record<string, string>>; readonly en: Readonly<Record<string, string>> };

/** The keys of one or more areas (`MessageKey<typeof recharge | typeof plans>`). */
export type MessageKey<A extends Area> = A extends Area ? keyof A['zh-CN'] & string : never;

/** The `{name}` placeholders of a message text, as a union of their names. */
type Placeholders<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;
type TextOf<A extends Area, K, L extends Locale> = A extends Area ? (K extends keyof A[L] ? A[L][K] : never) : never;

/**
 * The parameters a message takes, from its texts in both languages: a name the message does not
 * have (a misspelt `{nmae}` on either side) fails the type check.
 */
export type MessageParams<A extends Area, K extends MessageKey<A>> = ParamsFor<Placeholders<TextOf<A, K, 'zh-CN'>> | Placeholders<TextOf<A, K, 'en'>>>;
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

function find(areas: readonly Area[], locale: Locale, key: string): string | undefined {
	for (const area of areas) if (Object.hasOwn(area[locale], key)) return area[locale][key];
	return undefined;
}

/** A message of the given areas in `locale`, else in zh-CN, else the key itself. */
export function translateIn<A extends Area, K extends MessageKey<A>>(areas: readonly A[], locale: Locale, key: K, params?: MessageParams<A, K>): string {
	return format(find(areas, locale, key) ?? find(areas, 'zh-CN', key) ?? key, params);
}

function format(template: string, params: Record<string, string | number | undefined> | undefined): string {
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

/** Server error messages are message keys where one exists ('invalid_credentials', 'too_many_attempts:30'). */
export function translateErrorIn(areas: readonly Area[], locale: Locale, message: string): string {
	const [code, arg] = message.split(':');
	const template = find(areas, locale, `error.${code}`);
	if (template === undefined) return message;
	// The argument's unit is named by the message: too_many_attempts carries seconds, too_many_registrations minutes.
	return format(template, { seconds: arg ?? '', minutes: arg ?? '' });
}
