import dns, { type LookupAddress } from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { config } from '../config';
import { invalid } from '../errors';

/**
 * Addresses a webhook may not reach: the server's own and its networks' (loopback, RFC 1918,
 * link-local with the 169.254.169.254 metadata service, CGNAT, ULA, unspecified), plus multicast
 * and reserved space. IPv4-mapped IPv6 addresses are checked against the IPv4 rules.
 */
const notPublic = new net.BlockList();
for (const [prefix, bits] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['224.0.0.0', 4],
	['240.0.0.0', 4]
] as const)
	notPublic.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
	['::', 128],
	['::1', 128],
	['fc00::', 7],
	['fe80::', 10],
	['ff00::', 8]
] as const)
	notPublic.addSubnet(prefix, bits, 'ipv6');

export function isPublicAddress(address: string): boolean {
	const family = net.isIP(address);
	if (family === 0) return false;
	return !notPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** ALERT_WEBHOOK_ALLOW_PRIVATE=1 (tests and development with a local receiver) lifts the address rule. */
const privateAllowed = () => config().ALERT_WEBHOOK_ALLOW_PRIVATE;

/** Thrown where a webhook would reach an address it may not; its message is the error code. */
export class WebhookAddressError extends Error {
	constructor(readonly code: 'webhook_address_private' | 'webhook_host_unknown') {
		super(code);
		this.name = 'WebhookAddressError';
	}
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * The check when a webhook URL is saved: every address its host has now must be public. The
 * delivery checks again, on the address it connects to (`guardedLookup`).
 */
export async function assertWebhookAllowed(urlText: string): Promise<void> {
	if (privateAllowed()) return;
	const host = hostOf(new URL(urlText));
	const addresses = net.isIP(host) ? [host] : await dns.promises.lookup(host, { all: true, verbatim: true }).then(
		(found) => found.map((a) => a.address),
		() => null
	);
	if (!addresses || addresses.length === 0) throw invalid('webhook_host_unknown');
	if (!addresses.every(isPublicAddress)) throw invalid('webhook_address_private');
}

/** A literal IP host is connected to without a lookup, so it is checked here. */
export function assertLiteralHostAllowed(url: URL): void {
	const host = hostOf(url);
	if (!privateAllowed() && net.isIP(host) && !isPublicAddress(host)) throw new WebhookAddressError('webhook_address_private');
}

/**
 * The `lookup` of a webhook request: resolves the host and refuses it unless every address is
 * public, then hands exactly those addresses to the connection — what was checked is what is
 * connected to, so a name that changes its answer between the check and the connection cannot slip through.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
	dns.lookup(hostname, { ...options, all: true }, (err, found) => {
		if (err) return callback(err, '', 0);
		const addresses = found as unknown as LookupAddress[];
		if (!privateAllowed() && !addresses.every((a) => isPublicAddress(a.address))) {
			return callback(new WebhookAddressError('webhook_address_private') as unknown as NodeJS.ErrnoException, '', 0);
		}
		if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
		callback(null, addresses[0].address, addresses[0].family);
	});
};
