import { describe, expect, it } from 'vitest';
import { setModelActive, setModelPrice } from '../../src/lib/server/usage/models';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser } from '../helpers/callers';
import { restCall } from '../helpers/money';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();

describe('public price list', () => {
	it('shows every active model’s price per 1M tokens and the date a scheduled change takes effect', async () => {
		const user = await makeUser(t.db);
		const now = Date.now();
		const change = new Date(now + 7 * 86_400_000);
		await setModelPrice(t.db, { code: 'pl-chat', provider: 'acme', displayName: 'Acme Chat', inputPrice: 25_000, outputPrice: 100_000, effectiveFrom: new Date('2020-01-01T00:00:00Z') });
		await setModelPrice(t.db, { code: 'pl-chat', provider: 'acme', inputPrice: 30_000, outputPrice: 120_000, effectiveFrom: change });
		const { model: retired } = await setModelPrice(t.db, { code: 'pl-old', provider: 'acme', inputPrice: 1, outputPrice: 1, effectiveFrom: new Date('2020-01-01T00:00:00Z') });
		await setModelActive(t.db, retired.id, false);

		const list = await callerFor(t.db, user).prices.list();
		expect(list.credits_per_unit).toBe(10_000);
		expect(list.models.map((m) => m.model)).toEqual(['pl-chat']);
		expect(list.models[0]).toMatchObject({
			display_name: 'Acme Chat',
			price: { input_price: 25_000, output_price: 100_000, image_price: null },
			next: { input_price: 30_000, output_price: 120_000, effective_from: change }
		});

		const res = await restCall(t.db, 'GET', '/prices', user, null);
		expect(res.status).toBe(200);
		const body = await res.json();
		expect(body.models[0]).toMatchObject({ model: 'pl-chat', next: { effective_from: change.toISOString() } });
	});

	it('lists an image model’s price per image, the current one and the scheduled one', async () => {
		const user = await makeUser(t.db);
		const change = new Date(Date.now() + 7 * 86_400_000);
		await setModelPrice(t.db, { code: 'pl-image', provider: 'acme', type: 'image', inputPrice: 0, outputPrice: 0, imagePrice: 3_000, effectiveFrom: new Date('2020-01-01T00:00:00Z') });
		await setModelPrice(t.db, { code: 'pl-image', provider: 'acme', type: 'image', inputPrice: 0, outputPrice: 0, imagePrice: 4_500, effectiveFrom: change });

		const entry = (await callerFor(t.db, user).prices.list()).models.find((m) => m.model === 'pl-image');
		expect(entry).toMatchObject({ price: { image_price: 3_000 }, next: { image_price: 4_500, effective_from: change } });

		const body = await (await restCall(t.db, 'GET', '/prices', user, null)).json();
		expect(body.models.find((m: { model: string }) => m.model === 'pl-image')).toMatchObject({ price: { image_price: 3_000 } });
	});

	it('visitors see it only when an admin allows it', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		expect((await restCall(t.db, 'GET', '/prices', null, null)).status).toBe(401);
		await expectCode(callerFor(t.db, null).prices.list(), 'UNAUTHORIZED');
		await expectCode(callerFor(t.db, await makeUser(t.db)).prices.setVisibility({ visitors: true }), 'FORBIDDEN');
		expect(await callerFor(t.db, admin).prices.setVisibility({ visitors: true })).toEqual({ visitors: true });
		const res = await restCall(t.db, 'GET', '/prices', null, null);
		expect(res.status).toBe(200);
		expect((await res.json()).models.length).toBeGreaterThan(0);
	});
});
