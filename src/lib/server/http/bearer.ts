/** The key in an `Authorization: Bearer <key>` header, if that is what the header holds. */
export function bearerOf(authorization: string | null): string | undefined {
	return authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

/** The answer to a bearer key that is unknown, revoked or expired. */
export function invalidApiKeyResponse(requestId: string): Response {
	return new Response(JSON.stringify({ code: 'UNAUTHORIZED', message: 'invalid_api_key', request_id: requestId }), {
		status: 401,
		headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer', 'x-request-id': requestId }
	});
}
