DROP INDEX "holds_active_wallet_idx";--> statement-breakpoint
ALTER TABLE "wallets" ADD COLUMN "held" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "holds_active_wallet_expiry_idx" ON "holds" USING btree ("wallet_id","expires_at") WHERE "holds"."status" = 'active';--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_held" CHECK ("wallets"."held" >= 0);--> statement-breakpoint
-- wallets.held: the credits of a wallet's active holds, kept by statement triggers on holds in the
-- statement that places or resolves them, so what a wallet has available is read from its row
-- instead of summed over every hold in flight on it. Resolving takes the wallet's row lock:
-- release and the expiry job lock the wallets first, in id order, as reserve and settle do.
UPDATE wallets w SET held = h.held
FROM (SELECT wallet_id, sum(amount) AS held FROM holds WHERE status = 'active' GROUP BY wallet_id) h
WHERE w.id = h.wallet_id;--> statement-breakpoint
CREATE FUNCTION holds_placed_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE wallets w SET held = w.held + d.amount
	FROM (SELECT n.wallet_id, sum(n.amount) AS amount FROM new_holds n WHERE n.status = 'active' GROUP BY n.wallet_id) d
	WHERE w.id = d.wallet_id;
	RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE FUNCTION holds_changed_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE wallets w SET held = w.held + d.amount
	FROM (
		SELECT c.wallet_id, sum(c.amount) AS amount FROM (
			SELECT n.wallet_id, n.amount FROM new_holds n WHERE n.status = 'active'
			UNION ALL
			SELECT o.wallet_id, -o.amount FROM old_holds o WHERE o.status = 'active'
		) c GROUP BY c.wallet_id HAVING sum(c.amount) <> 0
	) d
	WHERE w.id = d.wallet_id;
	RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE FUNCTION holds_removed_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE wallets w SET held = w.held - d.amount
	FROM (SELECT o.wallet_id, sum(o.amount) AS amount FROM old_holds o WHERE o.status = 'active' GROUP BY o.wallet_id) d
	WHERE w.id = d.wallet_id;
	RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER holds_placed_held AFTER INSERT ON holds REFERENCING NEW TABLE AS new_holds
	FOR EACH STATEMENT EXECUTE FUNCTION holds_placed_held();--> statement-breakpoint
CREATE TRIGGER holds_changed_held AFTER UPDATE ON holds REFERENCING OLD TABLE AS old_holds NEW TABLE AS new_holds
	FOR EACH STATEMENT EXECUTE FUNCTION holds_changed_held();--> statement-breakpoint
CREATE TRIGGER holds_removed_held AFTER DELETE ON holds REFERENCING OLD TABLE AS old_holds
	FOR EACH STATEMENT EXECUTE FUNCTION holds_removed_held();--> statement-breakpoint
-- reserve_holds as in 0023_lookups_by_key.sql, with what a wallet has available read from held:
-- less the active holds already past their expiry (not yet marked by the expiry job), which count
-- for nothing at once, found through holds_active_wallet_expiry_idx.
CREATE OR REPLACE FUNCTION reserve_holds(requests jsonb, now_at timestamptz, credit_limit bigint)
RETURNS TABLE (o integer, outcome text, hold_id bigint, status text, amount bigint, wallet_id integer, enterprise_id integer,
	expires_at timestamptz, resolved_at timestamptz, captured_cost bigint, available bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	n integer := jsonb_array_length(requests);
	user_ids integer[];
	month_start date := date_trunc('month', now_at AT TIME ZONE 'UTC')::date;
	-- Wallets with what they have available: the locked candidates, then those of holds placed before.
	w_ids integer[]; w_avail bigint[]; locked integer;
	-- Payer options by user in payment order, the own wallet last (enterprise 0, limit room -1 = none).
	p_user integer[]; p_w integer[]; p_enterprise integer[]; p_left bigint[];
	-- Holds placed before (x_*), and those this batch places (n_*; n_pos: the request's position).
	x_req text[]; x_user integer[]; x_placed integer[]; x_wallet integer[];
	n_req text[] := '{}'; n_user integer[] := '{}'; n_placed integer[] := '{}'; n_pos integer[] := '{}';
	-- Outcomes by position: 'hold' (x_* or new), 'refused', 'conflict'; the payer, the available credits.
	d_outcome text[]; d_wallet integer[]; d_enterprise integer[]; d_avail bigint[]; d_new boolean[];
	r record;
	k integer; idx integer; first_k integer; last_k integer; chosen integer; wi integer; before bigint;
BEGIN
	SELECT array_agg(DISTINCT x.user_id) INTO user_ids FROM jsonb_to_recordset(requests) AS x(user_id integer);

	SELECT coalesce(array_agg(l.id ORDER BY l.id), '{}') INTO w_ids
	FROM (
		SELECT w.id FROM wallets w
		WHERE w.user_id = ANY (user_ids) OR w.enterprise_id IN (
			SELECT m.enterprise_id FROM memberships m WHERE m.user_id = ANY (user_ids) AND m.is_active AND NOT m.suspended)
		ORDER BY w.id FOR UPDATE
	) l;

	SELECT coalesce(array_agg(h.request_id ORDER BY h.request_id), '{}'), coalesce(array_agg(h.user_id ORDER BY h.request_id), '{}'),
		coalesce(array_agg(h.placed_by ORDER BY h.request_id), '{}'), coalesce(array_agg(h.wallet_id ORDER BY h.request_id), '{}')
	INTO x_req, x_user, x_placed, x_wallet
	FROM holds h WHERE h.request_id = ANY (ARRAY(SELECT x.request_id FROM jsonb_to_recordset(requests) AS x(request_id text)));
	locked := cardinality(w_ids);
	w_ids := w_ids || coalesce((SELECT array_agg(DISTINCT e.id) FROM unnest(x_wallet) AS e(id) WHERE e.id <> ALL (w_ids)), '{}');

	SELECT array_agg(w.balance
			- coalesce((SELECT sum(g.remaining) FROM credit_grants g WHERE g.wallet_id = w.id AND g.unit = 'credits' AND g.remaining > 0
				AND NOT (g.effective_from <= now_at AND (g.expires_at IS NULL OR g.expires_at > now_at))), 0)
			- (w.held - coalesce((SELECT sum(h.amount) FROM holds h WHERE h.wallet_id = w.id AND h.status = 'active' AND h.expires_at <= now_at), 0))
		ORDER BY i.k)
	INTO w_avail
	FROM unnest(w_ids) WITH ORDINALITY AS i(id, k) JOIN wallets w ON w.id = i.id;

	SELECT coalesce(array_agg(c.user_id ORDER BY c.user_id, c.own, c.priority ASC NULLS LAST, c.joined_at, c.id), '{}'),
		coalesce(array_agg(c.wallet_id ORDER BY c.user_id, c.own, c.priority ASC NULLS LAST, c.joined_at, c.id), '{}'),
		coalesce(array_agg(c.enterprise_id ORDER BY c.user_id, c.own, c.priority ASC NULLS LAST, c.joined_at, c.id), '{}'),
		coalesce(array_agg(c.room ORDER BY c.user_id, c.own, c.priority ASC NULLS LAST, c.joined_at, c.id), '{}')
	INTO p_user, p_w, p_enterprise, p_left
	FROM (
		SELECT m.id, m.user_id, false AS own, m.priority, m.joined_at, gw.id AS wallet_id, m.enterprise_id,
			CASE WHEN m.monthly_limit IS NULL THEN -1 ELSE greatest(0, m.monthly_limit - coalesce(ms.spent, 0)) END AS room
		FROM memberships m JOIN wallets gw ON gw.enterprise_id = m.enterprise_id
		LEFT JOIN member_month_spend ms ON m.monthly_limit IS NOT NULL AND ms.user_id = m.user_id AND ms.wallet_id = gw.id AND ms.month = month_start
		WHERE m.user_id = ANY (user_ids) AND m.is_active AND NOT m.suspended
		UNION ALL
		SELECT 0, w.user_id, true, NULL, NULL, w.id, 0, -1 FROM wallets w WHERE w.user_id = ANY (user_ids)
	) c;
	IF EXISTS (SELECT 1 FROM unnest(p_w) AS p(id) WHERE p.id <> ALL (w_ids[1:locked])) THEN
		RAISE EXCEPTION 'a payer wallet joined the chain after the lock' USING ERRCODE = 'serialization_failure';
	END IF;

	d_outcome := array_fill(NULL::text, ARRAY[n]); d_wallet := array_fill(0, ARRAY[n]); d_enterprise := array_fill(0, ARRAY[n]);
	d_avail := array_fill(0::bigint, ARRAY[n]); d_new := array_fill(false, ARRAY[n]);
	FOR r IN
		SELECT x.* FROM ROWS FROM (jsonb_to_recordset(requests) AS (request_id text, user_id integer, placed_by integer, estimate bigint))
			WITH ORDINALITY AS x(request_id, user_id, placed_by, estimate, o)
		ORDER BY x.o
	LOOP
		-- Placed before, or earlier in this batch: that hold, unless another caller or user placed it.
		idx := array_position(x_req, r.request_id);
		IF idx IS NULL THEN
			idx := array_position(n_req, r.request_id);
			IF idx IS NOT NULL THEN
				IF n_placed[idx] <> r.placed_by OR n_user[idx] <> r.user_id THEN d_outcome[r.o] := 'conflict'; CONTINUE; END IF;
				d_outcome[r.o] := 'hold'; d_wallet[r.o] := d_wallet[n_pos[idx]];
				d_avail[r.o] := w_avail[array_position(w_ids, d_wallet[r.o])];
				CONTINUE;
			END IF;
		ELSE
			IF x_placed[idx] <> r.placed_by OR x_user[idx] <> r.user_id THEN d_outcome[r.o] := 'conflict'; CONTINUE; END IF;
			d_outcome[r.o] := 'hold'; d_wallet[r.o] := x_wallet[idx];
			d_avail[r.o] := w_avail[array_position(w_ids, d_wallet[r.o])];
			CONTINUE;
		END IF;

		first_k := array_position(p_user, r.user_id);
		IF first_k IS NULL THEN
			RAISE EXCEPTION 'user % has no wallet to pay from', r.user_id;
		END IF;
		last_k := first_k;
		WHILE last_k < cardinality(p_user) AND p_user[last_k + 1] = r.user_id LOOP last_k := last_k + 1; END LOOP;
		chosen := last_k;
		FOR k IN first_k..last_k - 1 LOOP
			CONTINUE WHEN p_left[k] >= 0 AND p_left[k] < r.estimate;
			IF w_avail[array_position(w_ids, p_w[k])] >= r.estimate THEN chosen := k; EXIT; END IF;
		END LOOP;
		wi := array_position(w_ids, p_w[chosen]);
		before := w_avail[wi];
		d_wallet[r.o] := p_w[chosen]; d_enterprise[r.o] := p_enterprise[chosen];
		IF p_enterprise[chosen] = 0 AND before + credit_limit < r.estimate THEN
			d_outcome[r.o] := 'refused'; d_avail[r.o] := before;
			CONTINUE;
		END IF;
		w_avail[wi] := before - r.estimate;
		d_outcome[r.o] := 'hold'; d_new[r.o] := true; d_avail[r.o] := before - r.estimate;
		n_req := n_req || r.request_id; n_user := n_user || r.user_id; n_placed := n_placed || r.placed_by; n_pos := n_pos || r.o::integer;
	END LOOP;

	WITH placed AS (
		INSERT INTO holds (request_id, user_id, placed_by, api_key_id, wallet_id, enterprise_id, amount, expires_at, created_at)
		SELECT x.request_id, x.user_id, x.placed_by, x.api_key_id, d_wallet[x.o], nullif(d_enterprise[x.o], 0), x.estimate, x.expires_at, x.placed_at
		FROM ROWS FROM (jsonb_to_recordset(requests) AS (request_id text, user_id integer, placed_by integer, api_key_id integer, estimate bigint,
			expires_at timestamptz, placed_at timestamptz)) WITH ORDINALITY AS x(request_id, user_id, placed_by, api_key_id, estimate, expires_at, placed_at, o)
		WHERE d_new[x.o]
		ORDER BY x.request_id
		RETURNING holds.id, holds.amount, holds.created_at
	)
	INSERT INTO hold_events (hold_id, event, amount, at) SELECT placed.id, 'placed', placed.amount, placed.created_at FROM placed;

	RETURN QUERY
	SELECT x.o::integer, d_outcome[x.o],
		h.id, h.status, CASE WHEN d_outcome[x.o] = 'refused' THEN x.estimate ELSE h.amount END,
		CASE WHEN d_outcome[x.o] = 'conflict' THEN NULL ELSE d_wallet[x.o] END,
		CASE WHEN d_outcome[x.o] = 'refused' THEN nullif(d_enterprise[x.o], 0) ELSE h.enterprise_id END,
		h.expires_at, h.resolved_at, h.captured_cost, d_avail[x.o]
	FROM ROWS FROM (jsonb_to_recordset(requests) AS (request_id text, estimate bigint)) WITH ORDINALITY AS x(request_id, estimate, o)
	LEFT JOIN LATERAL (SELECT h.id, h.status, h.amount, h.enterprise_id, h.expires_at, h.resolved_at, h.captured_cost FROM holds h
		WHERE d_outcome[x.o] = 'hold' AND h.request_id = x.request_id LIMIT 1) h ON true
	ORDER BY x.o;
END;
$$;
