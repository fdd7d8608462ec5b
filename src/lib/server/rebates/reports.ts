import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';

/** `al***@example.com`: enough for an inviter to recognise a friend, not to write to them. */
export function maskEmail(email: string): string {
	const at = email.lastIndexOf('@');
	if (at < 0) return `${email.slice(0, 1)}***`;
	return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}

type InviteeRow = {
	invitee_id: number;
	email: string;
	joined_at: Date | string;
	paid: string;
	rebates: string;
};

/** An inviter's invitees, with what each paid (paid orders, refunded ones not counted) and the rebates kept. */
export async function inviteesOf(db: DbOrTx, inviterId: number) {
	const rows = await db.execute<InviteeRow>(sql`
		select r.invitee_id, u.email, r.created_at as joined_at,
			coalesce((select sum(o.amount) from orders o where o.user_id = r.invitee_id and o.status = 'paid'), 0) as paid,
			coalesce((select sum(b.amount - b.reclaimed_amount - b.written_off_amount) from rebates b where b.invitee_id = r.invitee_id and b.inviter_id = r.inviter_id), 0) as rebates
		from referrals r join users u on u.id = r.invitee_id
		where r.inviter_id = ${inviterId}
		order by r.created_at desc, r.invitee_id desc`);
	return rows.map((r) => ({
		inviteeId: r.invitee_id,
		maskedEmail: maskEmail(r.email),
		joinedAt: new Date(r.joined_at),
		paidCredits: Number(r.paid),
		rebateCredits: Number(r.rebates)
	}));
}

/** Rebates earned (net of reversals) and reversed, in credits. */
export async function rebateTotals(db: DbOrTx, inviterId: number) {
	const [row] = await db.execute<{ earned: string; reversed: string; written_off: string }>(sql`
		select coalesce(sum(amount) filter (where status = 'earned'), 0) as earned,
			coalesce(sum(reclaimed_amount), 0) as reversed,
			coalesce(sum(written_off_amount), 0) as written_off
		from rebates where inviter_id = ${inviterId}`);
	return { earnedCredits: Number(row.earned), reversedCredits: Number(row.reversed), writtenOffCredits: Number(row.written_off) };
}

type TopRow = {
	user_id: number;
	email: string;
	invitees: string;
	paid: string;
	rebates: string;
	disabled: boolean;
};

/** Inviters by rebates earned (then invitees), for admins. */
export async function topInviters(db: DbOrTx, limit: number) {
	const rows = await db.execute<TopRow>(sql`
		with inv as (select inviter_id, count(*) as invitees from referrals group by inviter_id),
		reb as (select inviter_id, sum(amount) filter (where status = 'earned') as rebates, sum(paid_amount) filter (where status = 'earned') as paid from rebates group by inviter_id)
		select u.id as user_id, u.email, coalesce(inv.invitees, 0) as invitees, coalesce(reb.paid, 0) as paid, coalesce(reb.rebates, 0) as rebates,
			(i.rebates_disabled_at is not null) as disabled
		from inv full join reb on reb.inviter_id = inv.inviter_id
		join users u on u.id = coalesce(inv.inviter_id, reb.inviter_id)
		left join inviters i on i.user_id = u.id
		order by coalesce(reb.rebates, 0) desc, coalesce(inv.invitees, 0) desc, u.id
		limit ${limit}`);
	return rows.map((r) => ({
		userId: r.user_id,
		email: r.email,
		invitees: Number(r.invitees),
		paidCredits: Number(r.paid),
		rebateCredits: Number(r.rebates),
		rebatesDisabled: r.disabled
	}));
}
