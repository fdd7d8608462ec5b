// Patches @trpc/server so a procedure's middleware chain copies its options with native object
// spread. Run by `postinstall`; safe to run again.
//
// tRPC's build turns every `{ ...opts, … }` in `callRecursive` (the function that runs each
// middleware layer and builds the options the next one gets) into the `_objectSpread2` helper,
// which copies property by property through Object.defineProperty / getOwnPropertyDescriptors:
// 2 to 3 copies per layer, four layers per call (the app's builder, input and output validation,
// the resolver). Measured with `npm run bench:trpc`: a bare procedure with a small zod input and
// output takes 13.9 µs a call with the helper and 6.3 µs with native spread. The rewrite keeps
// what the helper does there: own enumerable properties, symbols included, copied as values.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const MARK = '/* tally: native-spread patch */';
const dist = new URL('../node_modules/@trpc/server/dist/', import.meta.url);

/** The body of callRecursive's `try` as tRPC 11.25 ships it, with the helper's name as `spread` (ESM and CJS name it differently). */
const shipped = (spread) => `		return await middleware(${spread}(${spread}({}, opts), {}, {
			meta: _def.meta,
			input: opts.input,
			next(_nextOpts) {
				var _nextOpts$getRawInput;
				const nextOpts = _nextOpts;
				return callRecursive(index + 1, _def, ${spread}(${spread}({}, opts), {}, {
					ctx: (nextOpts === null || nextOpts === void 0 ? void 0 : nextOpts.ctx) ? ${spread}(${spread}({}, opts.ctx), nextOpts.ctx) : opts.ctx,
					input: nextOpts && "input" in nextOpts ? nextOpts.input : opts.input,
					getRawInput: (_nextOpts$getRawInput = nextOpts === null || nextOpts === void 0 ? void 0 : nextOpts.getRawInput) !== null && _nextOpts$getRawInput !== void 0 ? _nextOpts$getRawInput : opts.getRawInput
				}));
			}
		}));
`;

const native = `		${MARK}
		return await middleware({
			...opts,
			meta: _def.meta,
			input: opts.input,
			next(_nextOpts) {
				const nextOpts = _nextOpts;
				return callRecursive(index + 1, _def, {
					...opts,
					ctx: nextOpts?.ctx ? { ...opts.ctx, ...nextOpts.ctx } : opts.ctx,
					input: nextOpts && "input" in nextOpts ? nextOpts.input : opts.input,
					getRawInput: nextOpts?.getRawInput ?? opts.getRawInput
				});
			}
		});
`;

const stale = (what) => {
	console.error(`patch-trpc: ${what} no longer matches; check how this @trpc/server version builds callRecursive and update scripts/patch-trpc.mjs`);
	process.exitCode = 1;
};
const files = existsSync(dist) ? readdirSync(dist).filter((f) => /^initTRPC-.*\.(mjs|cjs)$/.test(f)) : [];
if (existsSync(dist) && files.length === 0) stale(dist.pathname);
for (const name of files) {
	const file = new URL(name, dist);
	const text = readFileSync(file, 'utf8');
	if (text.includes(MARK)) continue;
	const find = ['_objectSpread2', 'require_getErrorShape._objectSpread2'].map(shipped).find((f) => text.split(f).length === 2);
	if (find) writeFileSync(file, text.replace(find, native));
	else stale(file.pathname);
}
