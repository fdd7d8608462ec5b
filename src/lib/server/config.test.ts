import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

describe('configuration', () => {
	it('has working defaults', () => {
		const cfg = parseConfig({});
		expect(cfg).toMatchObject({ PORT: 3000, DATA_DIR: '.data', CURRENCY: 'CNY', CREDITS_PER_UNIT: 10_000, SEED_DEMO: true, WELCOME_CREDITS: 1_000_000 });
		expect(cfg.DATABASE_URL).toBeUndefined();
	});

	it('reads values and switches', () => {
		const cfg = parseConfig({ PORT: '8080', SEED_DEMO: '0', CREDITS_PER_UNIT: '100', DATABASE_URL: 'postgres://u:p@db:5432/tally' });
		expect(cfg).toMatchObject({ PORT: 8080, SEED_DEMO: false, CREDITS_PER_UNIT: 100, DATABASE_URL: 'postgres://u:p@db:5432/tally' });
	});

	it('names the variable of a bad value', () => {
		expect(() => parseConfig({ PORT: 'eighty' })).toThrow(ConfigError);
		expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
		expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
		expect(() => parseConfig({ CREDITS_PER_UNIT: '-5' })).toThrow(/CREDITS_PER_UNIT/);
		expect(() => parseConfig({ CURRENCY: 'yuan' })).toThrow(/CURRENCY/);
		expect(() => parseConfig({ ADMIN_EMAIL: 'not-an-email' })).toThrow(/ADMIN_EMAIL/);
	});
});
