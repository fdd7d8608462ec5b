import { getContext, setContext } from 'svelte';
import { translate, translateError, type Locale, type MessageKey, type MessageParams } from './index';

const KEY = Symbol('i18n');

export function provideLocale(current: () => Locale): void {
	setContext(KEY, current);
}

/** In a component: `const t = useT();` then `t('nav.dashboard')` in markup, which follows locale changes. */
export function useT() {
	const current = getContext<() => Locale>(KEY);
	const t = <K extends MessageKey>(key: K, params?: MessageParams<K>) => translate(current(), key, params);
	t.error = (message: string) => translateError(current(), message);
	t.locale = () => current();
	return t;
}
