import { getContext, setContext } from 'svelte';
import { formatMoney, type MoneyConfig } from './money';

const KEY = Symbol('money');

export function provideMoney(current: () => MoneyConfig): void {
	setContext(KEY, current);
}

/** In a component: `const money = useMoney();` then `money.format(credits)`. */
export function useMoney() {
	const current = getContext<() => MoneyConfig>(KEY);
	return {
		format: (credits: number, opts?: { sign?: boolean; decimals?: number }) => formatMoney(credits, current(), opts),
		config: () => current()
	};
}
