import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * CPU time the app process and the database server used during a phase, read from /proc (Linux):
 * user + system time of the process and, for PostgreSQL, of the postmaster and every backend it
 * forked. Divided by the events a phase answered, it is the cost of one event on each side. It
 * depends less than a rate on what else the two cores were doing, though on this machine it still
 * moves up to 1.5× for the same build between runs.
 */

/** sysconf(_SC_CLK_TCK): 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/** utime + stime (ticks) and parent of a process; null once it has exited. */
function stat(pid: number): { ppid: number; ticks: number } | null {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name, which is in parentheses and may hold spaces: state ppid … utime(14) stime(15).
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
	} catch {
		return null;
	}
}

function processIds(): number[] {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map(Number);
}

/** The process and its children (a postmaster's backends, checkpointer, WAL writer …). */
function withChildren(root: number): number[] {
	return [root, ...processIds().filter((pid) => stat(pid)?.ppid === root)];
}

/** The postmaster of a data directory: the first line of its postmaster.pid. */
export function postmasterOf(dataDir: string): number | null {
	const file = path.join(dataDir, 'postmaster.pid');
	if (!existsSync(file)) return null;
	return Number(readFileSync(file, 'utf8').split('\n')[0]) || null;
}

export interface CpuUse {
	/** CPU seconds of the app process. */
	app: number;
	/** CPU seconds of the database server, all its processes. */
	db: number;
}

/** CPU seconds used so far by the app and by the database server; `measured` says whether /proc could be read. */
export function cpuUse(appPid: number | undefined, postmaster: number | null): CpuUse & { measured: boolean } {
	if (!appPid || !postmaster || !existsSync('/proc/self/stat')) return { app: 0, db: 0, measured: false };
	const ticks = (pids: number[]) => pids.reduce((sum, pid) => sum + (stat(pid)?.ticks ?? 0), 0);
	return { app: ticks([appPid]) / TICKS_PER_SECOND, db: ticks(withChildren(postmaster)) / TICKS_PER_SECOND, measured: true };
}

/** Runs `phase` and answers the CPU seconds each side used meanwhile. Backends that exit during it are not counted. */
export async function cpuDuring<T>(appPid: number | undefined, postmaster: number | null, phase: () => T | Promise<T>): Promise<{ result: T; cpu: CpuUse | null }> {
	const start = cpuUse(appPid, postmaster);
	const result = await phase();
	const end = cpuUse(appPid, postmaster);
	return { result, cpu: start.measured && end.measured ? { app: end.app - start.app, db: end.db - start.db } : null };
}
