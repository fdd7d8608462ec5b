/** An enterprise wallet below this pays for almost no request (the floor in drizzle/0012_wallet_alerts.sql). */
export const ENTERPRISE_EMPTY_CREDITS = 1_000;

/** Deliveries are tried this many times in all, with growing pauses (pg-boss retryBackoff). */
export const DELIVERY_ATTEMPTS = 6;
export const DELIVERY_RETRY_DELAY_SECONDS = 30;
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Names of the webhook headers; docs/alerts.md explains how to verify them. */
export const SIGNATURE_HEADER = 'tally-signature';
export const DELIVERY_HEADER = 'tally-delivery';
