/** The client's `x-request-id` when it is a short plain token (it is echoed and logged), else a new UUID. */
export function requestIdOf(request: { headers: { get(name: string): string | null } }): string {
	const given = request.headers.get('x-request-id');
	return given && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : crypto.randomUUID();
}
