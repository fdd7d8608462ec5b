import http from 'node:http';
import https from 'node:https';
import nodemailer, { type Transporter } from 'nodemailer';
import type postgres from 'postgres';
import { config } from '../config';
import { isLocale } from '../../i18n';
import type { AlertChannel, AlertKind } from '../db/schema';
import { DELIVERY_HEADER, SIGNATURE_HEADER, WEBHOOK_TIMEOUT_MS } from './kinds';
import { alertText, webhookPayload, type AlertFacts } from './message';
import { signWebhook } from './signature';
import { assertLiteralHostAllowed, guardedLookup, WebhookAddressError } from './webhook-address';

export class DeliveryFailedError extends Error {}

interface Outcome {
	ok: boolean;
	statusCode: number | null;
	error: string | null;
	/** A failure no retry can mend (the URL points where webhooks may not go). */
	final?: boolean;
}

/** One POST; redirects are not followed, and the host's addresses are checked where the connection is made. */
function postOnce(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<number> {
	assertLiteralHostAllowed(url);
	const client = url.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const req = client.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: guardedLookup, signal }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('error', reject);
		req.end(body);
	});
}

async function postWebhook(url: string, secret: string, deliveryId: number, body: string): Promise<Outcome> {
	const signal = AbortSignal.timeout(WEBHOOK_TIMEOUT_MS);
	try {
		const headers = { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(secret, body), [DELIVERY_HEADER]: String(deliveryId) };
		const status = await postOnce(new URL(url), headers, body, signal);
		const ok = status >= 200 && status < 300;
		return { ok, statusCode: status, error: ok ? null : `HTTP ${status}` };
	} catch (err) {
		if (err instanceof WebhookAddressError) return { ok: false, statusCode: null, error: err.code, final: true };
		return { ok: false, statusCode: null, error: signal.aborted ? 'timeout' : String((err as Error).message).slice(0, 300) };
	}
}

let transport: Transporter | undefined;

async function sendEmail(to: string, subject: string, text: string): Promise<Outcome> {
	const url = config().SMTP_URL;
	if (!url) return { ok: false, statusCode: null, error: 'smtp_not_configured' };
	transport ??= nodemailer.createTransport(url);
	try {
		await transport.sendMail({ from: config().SMTP_FROM, to, subject, text });
		return { ok: true, statusCode: 250, error: null };
	} catch (err) {
		const e = err as { responseCode?: number; message?: string };
		return { ok: false, statusCode: e.responseCode ?? null, error: String(e.message).slice(0, 300) };
	}
}

/** For tests that change SMTP_URL in one process. */
export function resetEmailTransport(): void {
	transport?.close();
	transport = undefined;
}

/**
 * Makes one attempt of a delivery and records it. The delivery row stays locked while it runs, so
 * a duplicate job waits and then finds it finished. `last`: no retry follows, so a failure is final.
 * Throws DeliveryFailedError after recording a failure that will be retried.
 */
export async function attemptDelivery(sql: postgres.Sql, deliveryId: number, last: boolean): Promise<'delivered' | 'failed' | 'retry' | 'done'> {
	const result = await sql.begin(async (tx) => {
		const [d] = await tx<
			{
				id: string;
				channel: AlertChannel;
				target: string;
				status: string;
				attempts: number;
				alert_id: string;
				kind: AlertKind;
				balance: string;
				threshold: string;
				percent: number | null;
				created_at: Date;
				user_id: number | null;
				enterprise_id: number | null;
				enterprise_name: string | null;
				secret: string | null;
				locale: string;
			}[]
		>`
			select d.id, d.channel, d.target, d.status, d.attempts, a.id as alert_id, a.kind, a.balance, a.threshold, a.percent, a.created_at,
				w.user_id, w.enterprise_id, g.name as enterprise_name, s.webhook_secret as secret, u.locale
			from alert_deliveries d join alerts a on a.id = d.alert_id join wallets w on w.id = a.wallet_id
			left join enterprises g on g.id = w.enterprise_id left join alert_settings s on s.user_id = d.user_id join users u on u.id = d.user_id
			where d.id = ${deliveryId} for update of d`;
		if (!d || d.status !== 'pending') return 'done' as const;
		const money = { currency: config().CURRENCY, creditsPerUnit: config().CREDITS_PER_UNIT };
		const facts: AlertFacts = {
			alertId: Number(d.alert_id),
			kind: d.kind,
			balance: Number(d.balance),
			threshold: Number(d.threshold),
			percent: d.percent,
			userId: d.user_id,
			enterpriseId: d.enterprise_id,
			enterpriseName: d.enterprise_name,
			createdAt: new Date(d.created_at)
		};
		const text = alertText(isLocale(d.locale) ? d.locale : 'zh-CN', facts, money);
		const outcome: Outcome =
			d.channel === 'webhook'
				? d.secret
					? await postWebhook(d.target, d.secret, deliveryId, JSON.stringify(webhookPayload(deliveryId, facts, text, money)))
					: { ok: false, statusCode: null, error: 'no_webhook_secret' }
				: await sendEmail(d.target, `Tally: ${text}`, text);
		const attempt = d.attempts + 1;
		await tx`insert into alert_delivery_attempts (delivery_id, attempt, ok, status_code, error)
			values (${deliveryId}, ${attempt}, ${outcome.ok}, ${outcome.statusCode}, ${outcome.error})`;
		const final = last || outcome.final === true;
		const status = outcome.ok ? 'delivered' : final ? 'failed' : 'pending';
		await tx`update alert_deliveries set attempts = ${attempt}, status = ${status},
			finished_at = case when ${status} = 'pending' then null else now() end where id = ${deliveryId}`;
		return outcome.ok ? ('delivered' as const) : final ? ('failed' as const) : ('retry' as const);
	});
	if (result === 'retry') throw new DeliveryFailedError(`alert delivery ${deliveryId} failed; it will be retried`);
	return result;
}
