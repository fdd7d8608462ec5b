/** Dates for plan pages, in the billing time zone: "1 Dec, 00:00" (en) / "12月1日 00:00" (zh-CN). */
export function billingDate(d: Date | string, locale: string, timeZone: string): string {
	return new Date(d).toLocaleString(locale === 'en' ? 'en-GB' : locale, {
		day: 'numeric',
		month: 'short',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false,
		timeZone
	});
}

export function billingDay(d: Date | string, locale: string, timeZone: string): string {
	return new Date(d).toLocaleDateString(locale === 'en' ? 'en-GB' : locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone });
}
