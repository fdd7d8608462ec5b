import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { alertSettings, wallets } from '../db/schema';
import { config } from '../config';
import { setWalletThreshold } from '../ledger/alert-threshold';
import { userWalletId } from '../ledger/wallets';
import { newWebhookSecret } from './signature';
import { assertWebhookAllowed } from './webhook-address';

/** Email alerts are offered only when SMTP_URL is set. */
export function emailAvailable(): boolean {
	return Boolean(config().SMTP_URL);
}

export interface AlertSettingsView {
	threshold: number;
	/** false: the threshold follows the instance default. */
	thresholdSet: boolean;
	defaultThreshold: number;
	webhookUrl: string | null;
	/** The secret's first characters, to recognise it; the whole secret is shown once. */
	webhookSecretPrefix: string | null;
	emailEnabled: boolean;
	emailAvailable: boolean;
}

export async function walletThreshold(db: DbOrTx, walletId: number) {
	const [w] = await db
		.select({ threshold: wallets.alertThreshold, thresholdSet: wallets.alertThresholdSet })
		.from(wallets)
		.where(eq(wallets.id, walletId));
	return w;
}

export async function loadAlertSettings(db: DbOrTx, userId: number): Promise<AlertSettingsView> {
	const walletId = await userWalletId(db, userId);
	const [w, [s], [d]] = await Promise.all([
		walletThreshold(db, walletId),
		db.select().from(alertSettings).where(eq(alertSettings.userId, userId)),
		db.execute<{ d: string }>(sql`select alert_default_threshold() as d`)
	]);
	return {
		threshold: w.threshold,
		thresholdSet: w.thresholdSet,
		defaultThreshold: Number(d.d),
		webhookUrl: s?.webhookUrl ?? null,
		webhookSecretPrefix: s?.webhookSecret ? s.webhookSecret.slice(0, 10) : null,
		emailEnabled: (s?.emailEnabled ?? false) && emailAvailable(),
		emailAvailable: emailAvailable()
	};
}

export interface AlertSettingsInput {
	threshold: number | null;
	webhookUrl: string | null;
	emailEnabled: boolean;
}

/**
 * Saves the user's settings; a webhook URL must lead to a public address (alerts/webhook-address.ts).
 * A first webhook URL gets a secret at once; it is returned (only then)
 * so the page can show it once.
 */
export async function saveAlertSettings(db: DbOrTx, userId: number, input: AlertSettingsInput): Promise<{ newSecret: string | null }> {
	if (input.webhookUrl) await assertWebhookAllowed(input.webhookUrl);
	return db.transaction(async (tx) => {
		await setWalletThreshold(tx, await userWalletId(tx, userId), input.threshold);
		const [current] = await tx.select({ secret: alertSettings.webhookSecret }).from(alertSettings).where(eq(alertSettings.userId, userId));
		const newSecret = input.webhookUrl && !current?.secret ? newWebhookSecret() : null;
		const values = {
			webhookUrl: input.webhookUrl,
			emailEnabled: input.emailEnabled && emailAvailable(),
			...(newSecret ? { webhookSecret: newSecret } : {}),
			updatedAt: new Date()
		};
		await tx
			.insert(alertSettings)
			.values({ userId, ...values })
			.onConflictDoUpdate({ target: alertSettings.userId, set: values });
		return { newSecret };
	});
}

/** A new signing secret; the old one stops working at once. */
export async function regenerateWebhookSecret(db: DbOrTx, userId: number): Promise<string> {
	const secret = newWebhookSecret();
	await db
		.insert(alertSettings)
		.values({ userId, webhookSecret: secret })
		.onConflictDoUpdate({ target: alertSettings.userId, set: { webhookSecret: secret, updatedAt: new Date() } });
	return secret;
}
