/** Parses `--name value` and `--flag` pairs after the command words. */
export function parseArgs(argv: string[]): { words: string[]; options: Record<string, string | true> } {
	const words: string[] = [];
	const options: Record<string, string | true> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg.startsWith('--')) {
			const [name, inline] = arg.slice(2).split('=', 2);
			if (inline !== undefined) options[name] = inline;
			else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) options[name] = argv[++i];
			else options[name] = true;
		} else {
			words.push(arg);
		}
	}
	return { words, options };
}

export class UsageError extends Error {}

export function requireOption(options: Record<string, string | true>, name: string): string {
	const value = options[name];
	if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
	return value;
}
