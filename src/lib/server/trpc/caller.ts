import type { RequestEvent } from '@sveltejs/kit';
import { createContext } from './context';
import { createCaller } from './root';

/** For server `load` functions and form actions: the same procedures, called in-process. */
export function serverCaller(event: Pick<RequestEvent, 'locals' | 'cookies' | 'getClientAddress' | 'url' | 'request'>) {
	return createCaller(createContext(event));
}
