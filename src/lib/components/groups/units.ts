/** Credits as the plain decimal an amount input expects ("12.5"), exact, without a currency sign. */
export function creditsAsUnitsText(credits: number, creditsPerUnit: number): string {
	const whole = Math.trunc(credits / creditsPerUnit);
	const rest = Math.abs(credits - whole * creditsPerUnit);
	const digits = String(creditsPerUnit).length - 1;
	const frac = String(rest).padStart(digits, '0').replace(/0+$/, '');
	return frac ? `${whole}.${frac}` : String(whole);
}
