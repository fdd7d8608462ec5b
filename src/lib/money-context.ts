import { getContext, setContext } from 'svelte';
import { creditsToUnits, formatMoney, type MoneyConfig } from './money';

const KEY = Symbol('money');

export function provideMoney(current: () => MoneyConfig): void {
	setContext(KEY, current);
}

/** In a component: `const money = useMoney();` then `money.format(credits)`. */
export function useMoney() {
	const current = getContext<() => MoneyConfig>(KEY);
	return {
		format: (credits: number, opts?: { sign?: boolean; decimals?: number }) => formatMoney(credits, current(), opts),
		/** Credits as the text of a money amount, for a form field's value. */
		units: (credits: number) => String(creditsToUnits(credits, current().creditsPerUnit)),
		config: () => current()
	};
}
