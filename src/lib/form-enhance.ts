import type { SubmitFunction } from '@sveltejs/kit';

/** `use:enhance` that reports while the form is in flight and keeps what was typed on a refusal. */
export function keepValuesWhilePending(setPending: (pending: boolean) => void): SubmitFunction {
	return () => {
		setPending(true);
		return async ({ update }) => {
			await update({ reset: false });
			setPending(false);
		};
	};
}
