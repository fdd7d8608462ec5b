import type { MessageKey } from './index';
import type { usage } from './messages/usage';

/** The message key of a ledger entry kind: every page that lists a wallet's entries labels them with it. */
export function walletKindKey(kind: string): MessageKey<typeof usage> {
	return `wallet.kind.${kind}` as MessageKey<typeof usage>;
}
