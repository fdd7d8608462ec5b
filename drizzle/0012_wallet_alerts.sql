-- Low-balance, arrears and empty-enterprise alerts, raised in the database by whatever moves a
-- balance (post_entries is the only writer, but the trigger does not depend on it).
-- The instance default threshold: boot stores LOW_BALANCE_CREDITS under settings 'alerts.default'.
CREATE OR REPLACE FUNCTION alert_default_threshold() RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT (s.value->>'threshold')::bigint FROM settings s WHERE s.key = 'alerts.default'), 0)
$$;--> statement-breakpoint
ALTER TABLE wallets ALTER COLUMN alert_threshold SET DEFAULT alert_default_threshold();--> statement-breakpoint
ALTER TABLE wallets ADD CONSTRAINT wallets_alert_threshold CHECK (alert_threshold >= 0);--> statement-breakpoint
-- Existing wallets start armed where they are not already past the line (no alert for the past).
UPDATE wallets SET
	alert_threshold = alert_default_threshold(),
	low_armed = NOT (alert_default_threshold() > 0 AND balance < alert_default_threshold()),
	floor_armed = NOT (balance < CASE WHEN owner_type = 'group' THEN 1000 ELSE 0 END);--> statement-breakpoint
-- A crossing below a line whose flag is armed appends one alert and disarms the flag; going back
-- to or above the line re-arms it. The posting's UPDATE holds the wallet row's lock until commit,
-- and a concurrent posting re-reads the row (flags included) after it: one alert per crossing.
-- The floor is 0 for a user (arrears) and 1,000 credits for an enterprise
-- (ENTERPRISE_EMPTY_CREDITS in alerts/kinds.ts): below it an enterprise pays for almost no
-- request, and its members' usage falls to their own wallets.
CREATE OR REPLACE FUNCTION wallet_alert_crossing() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	floor_at bigint := CASE WHEN NEW.owner_type = 'group' THEN 1000 ELSE 0 END;
	low boolean := NEW.alert_threshold > 0 AND NEW.balance < NEW.alert_threshold;
	under boolean := NEW.balance < floor_at;
BEGIN
	IF low AND NEW.low_armed THEN
		INSERT INTO alerts (wallet_id, kind, balance, threshold) VALUES (NEW.id, 'low_balance', NEW.balance, NEW.alert_threshold);
	END IF;
	IF under AND NEW.floor_armed THEN
		INSERT INTO alerts (wallet_id, kind, balance, threshold)
		VALUES (NEW.id, CASE WHEN NEW.owner_type = 'group' THEN 'enterprise_empty' ELSE 'arrears' END, NEW.balance, floor_at);
	END IF;
	IF (low AND NEW.low_armed) OR (under AND NEW.floor_armed) THEN
		PERFORM pg_notify('tally_alerts', NEW.id::text);
	END IF;
	-- Does not set balance, so this trigger does not fire again.
	UPDATE wallets SET low_armed = NOT low, floor_armed = NOT under WHERE id = NEW.id;
	RETURN NULL;
END;
$$;--> statement-breakpoint
-- AFTER with a WHEN clause keeps the hot path cheap: PostgreSQL checks the clause on the row it
-- already has and queues nothing unless a flag must change.
CREATE TRIGGER wallets_alert AFTER UPDATE OF balance ON wallets FOR EACH ROW
WHEN (
	((NEW.alert_threshold > 0 AND NEW.balance < NEW.alert_threshold) = NEW.low_armed)
	OR ((NEW.balance < CASE WHEN NEW.owner_type = 'group' THEN 1000 ELSE 0 END) = NEW.floor_armed)
)
EXECUTE FUNCTION wallet_alert_crossing();
