import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { HandlerOptions } from '../../context';
import { walletView } from '../../../ledger/wallet-view';
import { userWalletId } from '../../../ledger/wallets';
import type { walletInput } from './wallet.schema';

export async function walletHandler({ ctx, input }: HandlerOptions<z.output<typeof walletInput>>) {
	const userId = input.user_id ?? ctx.user.id;
	if (userId !== ctx.user.id && ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'not_your_data' });
	let walletId: number;
	try {
		walletId = await userWalletId(ctx.db, userId);
	} catch {
		throw new TRPCError({ code: 'NOT_FOUND', message: 'user_not_found' });
	}
	return walletView(ctx.db, walletId);
}
