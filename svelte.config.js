import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Payment providers post to their callback routes from other origins; those routes verify signatures instead.
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
