-- post_entries, set-based: the one way a balance (and a grant's remaining) changes. Takes a JSON
-- array of {wallet_id, amount, kind, idempotency_key, grant_id?, reference?, memo?, actor_user_id?}
-- and in one statement appends the entries (balance_after running through the array in order),
-- moves the wallets' balances and the named grants' remaining. Wallets are locked in id order,
-- then grants in id order (settlement and the expiry job lock in the same order).
-- An idempotency key seen before appends nothing and returns the original entry, duplicate = true.
-- Returns one row per entry, in no particular order.
-- Overdraft rule: only usage may take a wallet below zero (ledger_entries_overdraft), and a
-- non-usage debit of the regular balance may not take the regular part below zero; a grant never
-- goes below zero (credit_grants_amounts).
CREATE OR REPLACE FUNCTION post_entries(entries jsonb)
RETURNS TABLE (entry_id bigint, wallet_id integer, amount bigint, balance_after bigint, idempotency_key text, duplicate boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
	PERFORM 1 FROM wallets w
		WHERE w.id IN (SELECT (x->>'wallet_id')::integer FROM jsonb_array_elements(entries) x)
		ORDER BY w.id FOR UPDATE;
	PERFORM 1 FROM credit_grants g
		WHERE g.id IN (SELECT (x->>'grant_id')::bigint FROM jsonb_array_elements(entries) x WHERE x->>'grant_id' IS NOT NULL)
		ORDER BY g.id FOR UPDATE;
	IF EXISTS (
		SELECT 1 FROM jsonb_to_recordset(entries) AS i(wallet_id integer, grant_id bigint)
		LEFT JOIN wallets w ON w.id = i.wallet_id
		LEFT JOIN credit_grants g ON g.id = i.grant_id
		WHERE w.id IS NULL OR (i.grant_id IS NOT NULL AND (g.id IS NULL OR g.wallet_id <> i.wallet_id OR g.unit <> 'credits'))
	) THEN
		RAISE EXCEPTION 'an entry names a wallet or grant that does not exist or does not belong together' USING ERRCODE = 'foreign_key_violation';
	END IF;
	-- Only a non-usage debit of a regular balance can break the regular part's floor; skip the check otherwise.
	IF EXISTS (
		SELECT 1 FROM jsonb_array_elements(entries) x
		WHERE (x->>'amount')::bigint < 0 AND x->>'kind' <> 'usage' AND x->>'grant_id' IS NULL
	) AND EXISTS (
		WITH input AS (
			SELECT i.*, x.o FROM jsonb_array_elements(entries) WITH ORDINALITY AS x(e, o),
				jsonb_to_record(x.e) AS i(wallet_id integer, grant_id bigint, amount bigint, kind text, idempotency_key text)
			WHERE NOT EXISTS (SELECT 1 FROM ledger_entries le WHERE le.idempotency_key = i.idempotency_key)
		), regular AS (
			SELECT w.id, w.balance - coalesce((SELECT sum(g.remaining) FROM credit_grants g WHERE g.wallet_id = w.id AND g.unit = 'credits'), 0) AS regular
			FROM wallets w JOIN (SELECT DISTINCT input.wallet_id FROM input) d ON d.wallet_id = w.id
		)
		SELECT 1 FROM (
			SELECT input.kind, input.amount, r.regular + sum(input.amount) OVER (PARTITION BY input.wallet_id ORDER BY input.o) AS regular_after
			FROM input JOIN regular r ON r.id = input.wallet_id WHERE input.grant_id IS NULL
		) s WHERE s.amount < 0 AND s.regular_after < 0 AND s.kind <> 'usage'
	) THEN
		RAISE EXCEPTION 'insufficient_funds: a debit would take a regular balance below zero' USING ERRCODE = 'check_violation', HINT = 'insufficient_funds';
	END IF;
	RETURN QUERY
	WITH input AS (
		SELECT i.*, x.o FROM jsonb_array_elements(entries) WITH ORDINALITY AS x(e, o),
			jsonb_to_record(x.e) AS i(wallet_id integer, grant_id bigint, amount bigint, kind text,
				idempotency_key text, reference text, memo text, actor_user_id integer)
	), seen AS (
		SELECT input.o, le.id, le.wallet_id, le.amount, le.balance_after, le.idempotency_key
		FROM input JOIN ledger_entries le ON le.idempotency_key = input.idempotency_key
	), fresh AS (
		SELECT input.*, w.balance + sum(input.amount) OVER (PARTITION BY input.wallet_id ORDER BY input.o) AS balance_after
		FROM input JOIN wallets w ON w.id = input.wallet_id
		WHERE NOT EXISTS (SELECT 1 FROM seen WHERE seen.o = input.o)
	), ins AS (
		INSERT INTO ledger_entries (wallet_id, amount, balance_after, kind, idempotency_key, reference, memo, actor_user_id, grant_id)
		SELECT f.wallet_id, f.amount, f.balance_after, f.kind, f.idempotency_key, f.reference, f.memo, f.actor_user_id, f.grant_id
		FROM fresh f ORDER BY f.o
		RETURNING ledger_entries.id, ledger_entries.wallet_id, ledger_entries.amount, ledger_entries.balance_after, ledger_entries.idempotency_key
	), bal AS (
		UPDATE wallets w SET balance = w.balance + d.delta, updated_at = now()
		FROM (SELECT fresh.wallet_id, sum(fresh.amount) AS delta FROM fresh GROUP BY fresh.wallet_id) d
		WHERE w.id = d.wallet_id
		RETURNING 1
	), gr AS (
		UPDATE credit_grants g SET remaining = g.remaining + d.delta
		FROM (SELECT fresh.grant_id, sum(fresh.amount) AS delta FROM fresh WHERE fresh.grant_id IS NOT NULL GROUP BY fresh.grant_id) d
		WHERE g.id = d.grant_id
		RETURNING 1
	)
	-- Unordered: the caller matches rows to its entries by idempotency key.
	SELECT ins.id, ins.wallet_id, ins.amount, ins.balance_after, ins.idempotency_key, false FROM ins
	UNION ALL
	SELECT seen.id, seen.wallet_id, seen.amount, seen.balance_after, seen.idempotency_key, true FROM seen;
END;
$$;
