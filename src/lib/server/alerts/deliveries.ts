import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import type { alertChannels, alertKinds } from '../db/schema';

export interface DeliveryRow {
	id: number;
	kind: (typeof alertKinds)[number];
	channel: (typeof alertChannels)[number];
	status: 'pending' | 'delivered' | 'failed';
	attempts: number;
	last_error: string | null;
	created_at: Date;
}

/** A user's latest webhook and email deliveries, newest first, with the last attempt's error. */
export async function recentDeliveries(db: DbOrTx, userId: number, limit = 10): Promise<DeliveryRow[]> {
	const rows = await db.execute<Omit<DeliveryRow, 'id' | 'created_at'> & { id: string; created_at: string }>(sql`
		select d.id, a.kind, d.channel, d.status, d.attempts, d.created_at,
			(select t.error from alert_delivery_attempts t where t.delivery_id = d.id order by t.attempt desc limit 1) as last_error
		from alert_deliveries d join alerts a on a.id = d.alert_id
		where d.user_id = ${userId} order by d.id desc limit ${limit}`);
	return rows.map((r) => ({ ...r, id: Number(r.id), created_at: new Date(r.created_at) }));
}
