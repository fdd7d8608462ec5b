import { createHash, randomInt } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read aloud or from paper is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 16; // 80 random bits
export const PREFIX_LENGTH = 4;

/** A new code as shown to people: `K7QX-3M9A-…`, four groups of four. */
export function newCode(): string {
	let out = '';
	for (let i = 0; i < LENGTH; i++) out += ALPHABET[randomInt(ALPHABET.length)];
	return out.match(/.{4}/g)!.join('-');
}

/** Case, spaces and dashes do not matter; O reads as 0, I and L as 1 (Crockford). */
export function normaliseCode(text: string): string {
	return text
		.toUpperCase()
		.replace(/[\s-]/g, '')
		.replace(/O/g, '0')
		.replace(/[IL]/g, '1');
}

/** What is stored instead of the code: a leaked table gives away no code. */
export function codeHash(normalised: string): string {
	return createHash('sha256').update(`tally-code:${normalised}`).digest('hex');
}

export function codePrefix(normalised: string): string {
	return normalised.slice(0, PREFIX_LENGTH);
}
