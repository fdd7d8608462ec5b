import { z } from 'zod';
import { emailSchema, nameSchema, passwordSchema } from '../../schemas/auth';
import { keyScopes, scopeSchema } from '../../schemas/keys';
import { createApiKey, ScopeNotAllowedError } from '../auth/api-keys';
import { createUser, findUserByEmail } from '../auth/accounts';
import { config, ConfigError } from '../config';
import { applyMigrations } from '../db/migrate';
import { DatabaseUnavailableError, openDatabase, type OpenedDatabase } from '../db/open';
import { verifyLedger } from '../ledger/verify';
import { adminGrantInput } from '../../schemas/plans';
import { adminGrant } from '../plans/admin-grants';
import { PlanError } from '../plans/errors';
import { runPlanResets } from '../plans/periods';
import { demoSignIns, seedDemo } from '../seed/demo';
import { parseArgs, requireOption, UsageError } from './args';

const HELP = `Tally operator commands (work whether or not the app is running):
  npm run cli -- user create --email E --password P [--name N] [--admin]
  npm run cli -- user create --email E --service [--name N]     a service account (no password, cannot sign in) to own gateway keys
  npm run cli -- key create --email E [--name N] [--scope S[,S…]]
      scopes: ${keyScopes.join(', ')}
      usage:write (bill any user), enterprises:manage and users:sync need an admin or service owner; admin needs an admin
  npm run cli -- db migrate
  npm run cli -- seed demo
  npm run cli -- ledger verify
  npm run cli -- grant create (--email E | --enterprise-id N) --unit credits|tokens|images --amount N --reason R --key K [--expires ISO]
      an admin grant (requirement doc llm-billing-quota's grantQuota); a repeat with the same --key grants nothing more
  npm run cli -- plans reset     grant any plan period whose reset has not run yet (safe to repeat)`;

type Command = (db: OpenedDatabase, options: Record<string, string | true>) => Promise<number>;

function parsed<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
	const result = schema.safeParse(value);
	if (!result.success) throw new UsageError(`--${name}: ${result.error.issues[0].message}`);
	return result.data;
}

const commands: Record<string, Command> = {
	'user create': async (db, options) => {
		const email = parsed(emailSchema, requireOption(options, 'email'), 'email');
		if (options.service && options.admin) throw new UsageError('--service and --admin exclude each other');
		const password = options.service ? null : parsed(passwordSchema, requireOption(options, 'password'), 'password');
		const name = parsed(nameSchema, typeof options.name === 'string' ? options.name : email.split('@')[0], 'name');
		const user = await createUser(db.db, { email, password, name, role: options.service ? 'service' : options.admin ? 'admin' : 'user' });
		console.log(`created ${user.role} ${user.email} (id ${user.id})`);
		return 0;
	},
	'key create': async (db, options) => {
		const email = parsed(emailSchema, requireOption(options, 'email'), 'email');
		const user = await findUserByEmail(db.db, email);
		if (!user) throw new UsageError(`no account with email ${email}`);
		const scopes = typeof options.scope === 'string' ? options.scope.split(',').map((s) => parsed(scopeSchema, s.trim(), 'scope')) : [];
		const name = typeof options.name === 'string' ? options.name : scopes.length ? 'service key' : 'cli key';
		const key = await createApiKey(db.db, user.id, { name, scopes }).catch((err: unknown) => {
			if (err instanceof ScopeNotAllowedError) throw new UsageError(`--scope: a ${user.role} account may not hold ${err.scope}`);
			throw err;
		});
		console.log(`created key "${key.name}" for ${email} (id ${key.id}, scopes: ${scopes.join(',') || 'none'}, expires ${key.expiresAt?.toISOString()})`);
		console.log(key.key);
		return 0;
	},
	'db migrate': async (db) => {
		await applyMigrations(db.db);
		console.log('migrations applied');
		return 0;
	},
	'seed demo': async (db) => {
		await applyMigrations(db.db);
		if (await seedDemo(db.db)) console.log(`demo data loaded. Sign in with:\n${demoSignIns()}`);
		else console.log('the database already has accounts; demo data not loaded');
		return 0;
	},
	'grant create': async (db, options) => {
		const email = typeof options.email === 'string' ? parsed(emailSchema, options.email, 'email') : null;
		const user = email ? await findUserByEmail(db.db, email) : null;
		if (email && !user) throw new UsageError(`no account with email ${email}`);
		const enterpriseText = typeof options['enterprise-id'] === 'string' ? options['enterprise-id'] : null;
		const input = parsed(
			adminGrantInput,
			{
				user_id: user?.id,
				enterprise_id: enterpriseText === null ? undefined : /^\d{1,9}$/.test(enterpriseText) ? Number(enterpriseText) : enterpriseText,
				unit: requireOption(options, 'unit'),
				amount: /^-?\d{1,15}$/.test(String(requireOption(options, 'amount'))) ? Number(options.amount) : options.amount,
				reason: requireOption(options, 'reason'),
				expires_at: typeof options.expires === 'string' ? options.expires : undefined,
				idempotency_key: requireOption(options, 'key')
			},
			'grant'
		);
		const admin = await findUserByEmail(db.db, config().ADMIN_EMAIL ?? '');
		const { grant, duplicate } = await adminGrant(db.db, input, admin?.id ?? null).catch((err: unknown) => {
			if (err instanceof PlanError) throw new UsageError(err.code);
			throw err;
		});
		console.log(`${duplicate ? 'already granted' : 'granted'} ${grant.original} ${grant.unit} (grant ${grant.id}, wallet ${grant.walletId})`);
		return 0;
	},
	'plans reset': async (db) => {
		const report = await runPlanResets(db.db);
		console.log(`${report.granted} period(s) granted, ${report.ended} subscription(s) ended`);
		return 0;
	},
	'ledger verify': async (db) => {
		const report = await verifyLedger(db.db);
		for (const d of report.drifts) {
			console.log(`DRIFT wallet ${d.walletId} (${d.owner}): balance ${d.balance} but entries sum to ${d.entriesSum}`);
		}
		if (report.orphanUsage > 0) console.log(`ORPHAN ${report.orphanUsage} usage record(s) without their ledger entry`);
		for (const v of report.violations) console.log(`BROKEN ${v.invariant}: ${v.rows} row(s)`);
		const ok = report.drifts.length === 0 && report.orphanUsage === 0 && report.violations.length === 0;
		console.log(`${report.wallets} wallets checked: ${ok ? 'ledger is consistent' : 'ledger has problems'}`);
		return ok ? 0 : 1;
	}
};

async function main(argv: string[]): Promise<number> {
	const { words, options } = parseArgs(argv);
	const name = words.slice(0, 2).join(' ');
	if (options.help || words.length === 0) {
		console.log(HELP);
		return words.length === 0 && !options.help ? 2 : 0;
	}
	const command = commands[name];
	if (!command) throw new UsageError(`unknown command "${words.join(' ')}"`);
	const cfg = config();
	const db = await openDatabase(cfg, 4);
	try {
		if (name !== 'db migrate' && name !== 'seed demo') await applyMigrations(db.db);
		return await command(db, options);
	} finally {
		await db.shutdown();
	}
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(err) => {
		if (err instanceof UsageError) console.error(`tally: ${err.message}\n\n${HELP}`);
		else if (err instanceof ConfigError || err instanceof DatabaseUnavailableError) console.error(`tally: ${err.message}`);
		else console.error(`tally: ${err?.message ?? err}`);
		process.exit(err instanceof UsageError ? 2 : 1);
	}
);
