import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

// Every admin procedure checks the role again on the server; this only keeps the pages from rendering.
export const load: LayoutServerLoad = ({ locals }) => {
	if (locals.user?.role !== 'admin') error(403, 'Platform admins only');
};
