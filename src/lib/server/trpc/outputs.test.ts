import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from './root';

interface ProcedureDef {
	_def: { output?: z.ZodType; meta?: { openapi?: { method: string; path: string } } };
}

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDef>);

/**
 * Procedures of routers/enterprises*, enterprise-invitations, dashboard and external that have no output
 * schema yet (another change adds them); it only shrinks.
 */
const awaitingOutput = new Set<string>();

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

type JsonSchema = { [key: string]: unknown };

/** Every property name, at any depth, of a JSON schema that is not snake_case. */
function nonSnakeFields(schema: unknown, found: string[] = []): string[] {
	if (typeof schema !== 'object' || schema === null) return found;
	const node = schema as JsonSchema;
	if (typeof node.properties === 'object' && node.properties !== null) {
		for (const [name, property] of Object.entries(node.properties as JsonSchema)) {
			if (!SNAKE_CASE.test(name)) found.push(name);
			nonSnakeFields(property, found);
		}
	}
	for (const key of ['items', 'additionalProperties', 'not']) nonSnakeFields(node[key], found);
	for (const key of ['prefixItems', 'anyOf', 'oneOf', 'allOf']) if (Array.isArray(node[key])) for (const s of node[key]) nonSnakeFields(s, found);
	for (const key of ['$defs', 'definitions']) if (typeof node[key] === 'object' && node[key] !== null) for (const s of Object.values(node[key] as JsonSchema)) nonSnakeFields(s, found);
	return found;
}

const fieldsNotSnake = (output: z.ZodType) => nonSnakeFields(z.toJSONSchema(output, { io: 'output', unrepresentable: 'any' }));

describe('procedure outputs', () => {
	it('every procedure declares an output schema', () => {
		const missing = procedures.filter(([path, p]) => p._def.output === undefined && !awaitingOutput.has(path)).map(([path]) => path);
		expect(missing).toEqual([]);
	});

	it('lists only procedures that exist and still lack an output as awaiting one', () => {
		const known = new Map(procedures);
		const stale = [...awaitingOutput].filter((path) => known.get(path)?._def.output !== undefined || !known.has(path));
		expect(stale).toEqual([]);
	});

	it('every REST answer has snake_case field names at every level', () => {
		const offending: Record<string, string[]> = {};
		for (const [path, p] of procedures) {
			if (!p._def.meta?.openapi || !p._def.output) continue;
			const fields = fieldsNotSnake(p._def.output);
			if (fields.length > 0) offending[path] = fields;
		}
		expect(offending).toEqual({});
	});

	it('finds a camelCase field nested in arrays, unions and optional objects', () => {
		const nested = z.object({ ok_field: z.array(z.union([z.string(), z.object({ deep: z.object({ badName: z.number() }).nullable().optional() })])) });
		expect(fieldsNotSnake(nested)).toEqual(['badName']);
	});

	it('reads the real outputs: the recharge page (no REST route) keeps its camelCase fields', () => {
		const page = new Map(procedures).get('recharge.page')!._def.output!;
		expect(page).toBeDefined();
		expect(fieldsNotSnake(page)).toEqual(expect.arrayContaining(['payerNow', 'tierCredits', 'usedTierCredits']));
	});
});
