import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { alertSettingsInput, dismissAlertInput, enterpriseThresholdInput } from '$lib/schemas/alerts';
import { rowId } from '$lib/schemas/fields';
import { alertChannels, alertKinds } from '../../db/schema';
import { requireEnterpriseAdmin } from '../../enterprises/access';
import { setWalletThreshold } from '../../ledger/alert-threshold';
import { enterpriseWalletId } from '../../ledger/wallets';
import { recentDeliveries } from '../../alerts/deliveries';
import { AlertNotFoundError, dismissNotice, listNotices } from '../../alerts/notices';
import { loadAlertSettings, regenerateWebhookSecret, saveAlertSettings, walletThreshold } from '../../alerts/settings';
import { authedProcedure, router, scopedProcedure } from '../init';

const settingsOut = z.object({
	threshold: z.number().int(),
	threshold_set: z.boolean(),
	default_threshold: z.number().int(),
	webhook_url: z.string().nullable(),
	webhook_secret_prefix: z.string().nullable(),
	email_enabled: z.boolean(),
	email_available: z.boolean()
});

const noticeOut = z.object({
	id: z.number().int(),
	kind: z.enum(alertKinds),
	balance: z.number().int(),
	threshold: z.number().int(),
	percent: z.number().int().nullable(),
	enterprise_id: z.number().int().nullable(),
	enterprise_name: z.string().nullable(),
	created_at: z.date()
});

const thresholdOut = z.object({ threshold: z.number().int(), threshold_set: z.boolean() });

export const alertsRouter = router({
	settings: authedProcedure
		.input(z.void())
		.output(settingsOut)
		.query(async ({ ctx }) => {
			const s = await loadAlertSettings(ctx.db, ctx.user.id);
			return {
				threshold: s.threshold,
				threshold_set: s.thresholdSet,
				default_threshold: s.defaultThreshold,
				webhook_url: s.webhookUrl,
				webhook_secret_prefix: s.webhookSecretPrefix,
				email_enabled: s.emailEnabled,
				email_available: s.emailAvailable
			};
		}),

	/** Returns a new signing secret only when this call created one (a first webhook URL). */
	updateSettings: authedProcedure
		.input(alertSettingsInput)
		.output(z.object({ new_secret: z.string().nullable() }))
		.mutation(async ({ ctx, input }) => {
			const { newSecret } = await saveAlertSettings(ctx.db, ctx.user.id, input);
			return { new_secret: newSecret };
		}),

	regenerateSecret: authedProcedure
		.input(z.void())
		.output(z.object({ secret: z.string() }))
		.mutation(async ({ ctx }) => ({ secret: await regenerateWebhookSecret(ctx.db, ctx.user.id) })),

	/** The header notice: undismissed alerts of the caller's wallet and of enterprises they administer. */
	notices: scopedProcedure('usage:read')
		.input(z.void())
		.output(z.array(noticeOut))
		.query(async ({ ctx }) =>
			(await listNotices(ctx.db, ctx.user.id)).map((n) => ({
				id: n.id,
				kind: n.kind,
				balance: n.balance,
				threshold: n.threshold,
				percent: n.percent,
				enterprise_id: n.enterpriseId,
				enterprise_name: n.enterpriseName,
				created_at: n.createdAt
			}))
		),

	dismiss: authedProcedure
		.input(dismissAlertInput)
		.output(z.object({ ok: z.literal(true) }))
		.mutation(async ({ ctx, input }) => {
			try {
				await dismissNotice(ctx.db, ctx.user.id, input.id);
			} catch (err) {
				if (err instanceof AlertNotFoundError) throw new TRPCError({ code: 'NOT_FOUND', message: 'alert_not_found' });
				throw err;
			}
			return { ok: true as const };
		}),

	/** The caller's latest webhook and email deliveries, with the last attempt's error. */
	deliveries: authedProcedure
		.input(z.void())
		.output(
			z.array(
				z.object({
					id: z.number().int(),
					kind: z.enum(alertKinds),
					channel: z.enum(alertChannels),
					status: z.enum(['pending', 'delivered', 'failed']),
					attempts: z.number().int(),
					last_error: z.string().nullable(),
					created_at: z.date()
				})
			)
		)
		.query(async ({ ctx }) => recentDeliveries(ctx.db, ctx.user.id)),

	enterpriseThreshold: scopedProcedure('enterprises:manage')
		.input(z.object({ enterpriseId: rowId }))
		.output(thresholdOut)
		.query(async ({ ctx, input }) => {
			await requireEnterpriseAdmin(ctx.db, ctx.user, input.enterpriseId);
			const w = await walletThreshold(ctx.db, await enterpriseWalletId(ctx.db, input.enterpriseId));
			return { threshold: w.threshold, threshold_set: w.thresholdSet };
		}),

	setEnterpriseThreshold: scopedProcedure('enterprises:manage')
		.input(enterpriseThresholdInput)
		.output(thresholdOut)
		.mutation(async ({ ctx, input }) => {
			await requireEnterpriseAdmin(ctx.db, ctx.user, input.enterpriseId);
			const threshold = await setWalletThreshold(ctx.db, await enterpriseWalletId(ctx.db, input.enterpriseId), input.threshold);
			return { threshold, threshold_set: input.threshold !== null };
		})
});
