/**
 * Where a procedure's REST path is served, under `/api`. Most live under `/api/v1`; the external
 * users routes keep the exact paths requirement doc external-users-new-api gives their clients (`/api/user/external/...`). One
 * table, read by the request matcher and by the OpenAPI document, so both always agree.
 */
export const API_ROOT = '/api';

const SERVED_AT_ROOT = ['/user/external/'];

/** The path below `/api` at which the procedure with this `meta.openapi.path` answers. */
export function servedPath(metaPath: string): string {
	return SERVED_AT_ROOT.some((prefix) => metaPath.startsWith(prefix)) ? metaPath : `/v1${metaPath}`;
}
