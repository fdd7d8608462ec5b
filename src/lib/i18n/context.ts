import { getContext, setContext } from 'svelte';
import { translateErrorIn, translateIn, type Area, type Locale, type MessageKey, type MessageParams } from './index';
import { common } from './messages/common';
import { errors } from './messages/errors';

const KEY = Symbol('i18n');

/** The areas every page loads: the app shell's texts and the server's error texts (`t.error`). */
export type GlobalArea = typeof common | typeof errors;

export function provideLocale(current: () => Locale): void {
	setContext(KEY, current);
}

/**
 * In a component: `const t = useT(recharge, plans);` then `t('recharge.title')` in markup, which follows
 * locale changes. `t` knows `common`, `errors` and the areas named, so a page's JavaScript carries only those.
 */
export function useT<const A extends readonly Area[]>(...areas: A) {
	type Known = A[number] | GlobalArea;
	const current = getContext<() => Locale>(KEY);
	const known: readonly Known[] = [common, errors, ...areas];
	const t = <K extends MessageKey<Known>>(key: K, params?: MessageParams<Known, K>) => translateIn<Known, K>(known, current(), key, params);
	t.error = (message: string) => translateErrorIn(known, current(), message);
	t.locale = () => current();
	return t;
}
