import { describe, expect, it } from 'vitest';
import { DatabaseCircuit } from './circuit';

const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('DatabaseCircuit', () => {
	it('opens on an unavailable-database error, stays open while the probe fails and closes when it succeeds', async () => {
		let up = false;
		const circuit = new DatabaseCircuit(async () => {
			if (!up) throw refused;
		}, 20);
		expect(circuit.report(new Error('duplicate key', { cause: { code: '23505' } }))).toBe(false);
		expect(circuit.open).toBe(false);
		expect(circuit.report(refused)).toBe(true);
		expect(circuit.open).toBe(true);
		await new Promise((r) => setTimeout(r, 100));
		expect(circuit.open).toBe(true);
		up = true;
		await new Promise((r) => setTimeout(r, 100));
		expect(circuit.open).toBe(false);
	});
});
