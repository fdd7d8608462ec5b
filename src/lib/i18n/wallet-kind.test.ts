import { describe, expect, it } from 'vitest';
import { entryKinds } from '$lib/server/db/schema';
import { translate } from '$lib/server/i18n';
import { locales } from './index';
import { walletKindKey } from './wallet-kind';

describe('wallet entry kind labels', () => {
	it.each(locales)('every ledger entry kind has its own label in %s', (locale) => {
		for (const kind of entryKinds) {
			const key = walletKindKey(kind);
			expect(translate(locale, key), kind).not.toBe(key);
		}
	});

	it('a first-recharge bonus reads the same wherever a wallet is listed', () => {
		expect(translate('zh-CN', walletKindKey('bonus'))).toBe('首充赠送');
		expect(translate('en', walletKindKey('bonus'))).toBe('First-recharge bonus');
	});
});
