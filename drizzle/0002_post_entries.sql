-- post_entries: the one way a balance changes. Takes a JSON array of
-- {wallet_id, amount, kind, idempotency_key, reference?, memo?, actor_user_id?}
-- and, in one round trip, locks the wallets (in id order, so concurrent callers
-- cannot deadlock), appends each entry and moves each balance with it.
-- An idempotency key seen before appends nothing and returns the original entry
-- with duplicate = true. Only usage may take a balance below zero (arrears).
CREATE OR REPLACE FUNCTION post_entries(entries jsonb)
RETURNS TABLE (entry_id bigint, wallet_id integer, amount bigint, balance_after bigint, idempotency_key text, duplicate boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	e jsonb;
	v_wallet integer;
	v_amount bigint;
	v_kind text;
	v_key text;
	v_balance bigint;
	v_id bigint;
BEGIN
	PERFORM 1 FROM wallets w
		WHERE w.id IN (SELECT (x->>'wallet_id')::integer FROM jsonb_array_elements(entries) x)
		ORDER BY w.id FOR UPDATE;
	FOR e IN SELECT * FROM jsonb_array_elements(entries) LOOP
		v_wallet := (e->>'wallet_id')::integer;
		v_amount := (e->>'amount')::bigint;
		v_kind := e->>'kind';
		v_key := e->>'idempotency_key';
		SELECT le.id, le.wallet_id, le.amount, le.balance_after INTO v_id, wallet_id, amount, balance_after
			FROM ledger_entries le WHERE le.idempotency_key = v_key;
		IF FOUND THEN
			entry_id := v_id; idempotency_key := v_key; duplicate := true;
			RETURN NEXT;
			CONTINUE;
		END IF;
		SELECT w.balance INTO v_balance FROM wallets w WHERE w.id = v_wallet;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'wallet % not found', v_wallet USING ERRCODE = 'foreign_key_violation';
		END IF;
		v_balance := v_balance + v_amount;
		IF v_amount < 0 AND v_balance < 0 AND v_kind <> 'usage' THEN
			RAISE EXCEPTION 'insufficient_funds: wallet % would go to %', v_wallet, v_balance USING ERRCODE = 'check_violation', HINT = 'insufficient_funds';
		END IF;
		INSERT INTO ledger_entries (wallet_id, amount, balance_after, kind, idempotency_key, reference, memo, actor_user_id)
			VALUES (v_wallet, v_amount, v_balance, v_kind, v_key, e->>'reference', e->>'memo', (e->>'actor_user_id')::integer)
			RETURNING id INTO v_id;
		UPDATE wallets SET balance = v_balance, updated_at = now() WHERE id = v_wallet;
		entry_id := v_id; wallet_id := v_wallet; amount := v_amount; balance_after := v_balance;
		idempotency_key := v_key; duplicate := false;
		RETURN NEXT;
	END LOOP;
END;
$$;
