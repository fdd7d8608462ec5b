import type { MessageKey } from './index';

/** The message key of a ledger entry kind: every page that lists a wallet's entries labels them with it. */
export function walletKindKey(kind: string): MessageKey {
	return `wallet.kind.${kind}` as MessageKey;
}
