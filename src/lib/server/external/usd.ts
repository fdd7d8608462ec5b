import { config } from '../config';

/** Credits as US dollars at USD_RATE_CREDITS, rounded down to the cent, as text ("12.34"). */
export function creditsToUsdText(credits: number): string {
	const cents = (BigInt(credits) * 100n) / BigInt(config().USD_RATE_CREDITS);
	const sign = cents < 0n ? '-' : '';
	const abs = cents < 0n ? -cents : cents;
	return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
