/** An ILIKE pattern matching values that contain `text`, with `\`, `%` and `_` in it taken literally. */
export function containsPattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}
