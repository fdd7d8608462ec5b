import { describe, expect, it } from 'vitest';
import { restRouteFor, restRoutes } from './rest-routes';

const concrete = (path: string) => path.replace(/\{\w+\}/g, '17');

describe('restRouteFor', () => {
	it('finds every route by its method and path, with or without a trailing slash, with its parameters', () => {
		for (const route of restRoutes()) {
			for (const path of [concrete(route.path), `${concrete(route.path)}/`]) {
				const found = restRouteFor(route.method.toLowerCase(), path);
				expect(found.kind, `${route.method} ${path}`).toBe('found');
				if (found.kind !== 'found') continue;
				// A fixed path wins over a template that also matches it.
				if (found.match.route !== route) expect(found.match.route.paramNames.length).toBeLessThan(route.paramNames.length);
				else expect(Object.values(found.match.params)).toEqual(route.paramNames.map(() => '17'));
			}
		}
	});

	it('tells a path served for another method from one not served at all', () => {
		const report = restRoutes().find((r) => r.procedure === 'usage.report')!;
		expect(restRouteFor('DELETE', report.path).kind).toBe('method');
		expect(restRouteFor('POST', `${report.path}//`).kind).toBe('none');
		expect(restRouteFor('POST', '/v1/no-such-route').kind).toBe('none');
	});
});
