import { describe, expect, it } from 'vitest';
import { reportCsv } from './reports';

const row = { userId: 1, email: 'a@example.com', active: true, requests: 2, inputTokens: 10, outputTokens: 5, cost: 12_345 };

describe('the enterprise report as CSV', () => {
	it('defuses a name a spreadsheet would run, a leading tab included, like the usage export', () => {
		const csv = reportCsv([{ ...row, name: '\t=HYPERLINK("x")' }, { ...row, name: '-2+3' }], 10_000, 'CNY');
		const lines = csv.trimEnd().split('\r\n');
		expect(lines[0]).toBe('email,name,active,requests,input_tokens,output_tokens,cost_credits,cost_cny');
		expect(lines[1]).toBe(`a@example.com,"'\t=HYPERLINK(""x"")",yes,2,10,5,12345,1.2345`);
		expect(lines[2]).toBe(`a@example.com,'-2+3,yes,2,10,5,12345,1.2345`);
	});
});
