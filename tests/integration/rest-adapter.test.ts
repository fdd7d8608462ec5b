import { describe, expect, it } from 'vitest';
import { createEnterprise } from '../../src/lib/server/enterprises/enterprises';
import { handleOpenApiRequest } from '../../src/lib/server/trpc/openapi-handler';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeUser } from '../helpers/callers';

const t = useTestDatabase();

describe('the /api/v1 adapter', () => {
	it('takes a body-less POST as clients written to the requirement docs send it (curl -X POST)', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const member = await makeUser(t.db);
		const enterprise = await createEnterprise(t.db, { name: 'Seed Co', description: '' });
		const req = new Request(`http://localhost/api/v1/groups/id/${enterprise.id}/add-user/${member.id}`, { method: 'POST' });
		const res = await handleOpenApiRequest(req, () => contextFor(t.db, admin));
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ user_id: member.id, group_id: enterprise.id, is_active: true });
	});

	it('answers malformed JSON with 400 and an unknown route with 404, as JSON', async () => {
		const user = await makeUser(t.db);
		const bad = new Request('http://localhost/api/v1/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
		const res = await handleOpenApiRequest(bad, () => contextFor(t.db, user));
		expect(res.status).toBe(400);
		expect((await res.json()).code).toBe('PARSE_ERROR');
		const missing = await handleOpenApiRequest(new Request('http://localhost/api/v1/nope'), () => contextFor(t.db, user));
		expect(missing.status).toBe(404);
	});

	it('answers 401 without a caller and 403 for a wrong role', async () => {
		const anonymous = await handleOpenApiRequest(new Request('http://localhost/api/v1/me'), () => contextFor(t.db, null));
		expect(anonymous.status).toBe(401);
		const user = await makeUser(t.db);
		const forbidden = await handleOpenApiRequest(
			new Request('http://localhost/api/v1/enterprises/create', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x","description":""}' }),
			() => contextFor(t.db, user)
		);
		expect(forbidden.status).toBe(403);
	});
});
