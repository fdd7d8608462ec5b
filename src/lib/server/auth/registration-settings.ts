import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client';
import { settings } from '../db/schema';
import { config } from '../config';

export const REGISTRATION_SETTINGS_KEY = 'registration';

export const registrationSettingsSchema = z.object({
	/** Credits granted to every new account; 0 = no grant. */
	welcomeCredits: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
	registrationsPerIpPerHour: z.number().int().min(1).max(100_000)
});

export type RegistrationSettings = z.infer<typeof registrationSettingsSchema>;

/** A fresh install takes WELCOME_CREDITS and REGISTRATIONS_PER_IP_PER_HOUR from the environment. */
export function defaultRegistrationSettings(): RegistrationSettings {
	return { welcomeCredits: config().WELCOME_CREDITS, registrationsPerIpPerHour: config().REGISTRATIONS_PER_IP_PER_HOUR };
}

export async function loadRegistrationSettings(db: DbOrTx): Promise<RegistrationSettings> {
	const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, REGISTRATION_SETTINGS_KEY));
	if (!row) return defaultRegistrationSettings();
	const parsed = registrationSettingsSchema.safeParse({ ...defaultRegistrationSettings(), ...(row.value as object) });
	return parsed.success ? parsed.data : defaultRegistrationSettings();
}

export async function saveRegistrationSettings(db: DbOrTx, value: RegistrationSettings, actorUserId: number | null): Promise<RegistrationSettings> {
	const valid = registrationSettingsSchema.parse(value);
	await db
		.insert(settings)
		.values({ key: REGISTRATION_SETTINGS_KEY, value: valid, updatedBy: actorUserId })
		.onConflictDoUpdate({ target: settings.key, set: { value: valid, updatedBy: actorUserId, updatedAt: sql`now()` } });
	return valid;
}
