import { describe, expect, it } from 'vitest';
import { config } from './config';
import { viewerTimeZone } from './time-zone';

const jar = (value: string | undefined) => ({ get: (name: string) => (name === 'tally_tz' ? value : undefined) });

describe('viewerTimeZone', () => {
	it("takes the browser's reported IANA zone", () => {
		expect(viewerTimeZone(jar('America/New_York'))).toBe('America/New_York');
	});

	it('falls back to BILLING_TIMEZONE without a cookie, or with one that is not a zone', () => {
		const billing = config().BILLING_TIMEZONE;
		expect(viewerTimeZone(null)).toBe(billing);
		expect(viewerTimeZone(jar(undefined))).toBe(billing);
		expect(viewerTimeZone(jar('Mars/Olympus'))).toBe(billing);
		expect(viewerTimeZone(jar("UTC'; drop table users;--"))).toBe(billing);
	});
});
