-- Every wallet that could pay for these users, each found by key: their own wallets, and the
-- wallets of the enterprises they are active, unsuspended members of. settle_usage and reserve_holds
-- lock these. They used to select them with `user_id = ANY (…) OR id IN (…)`, which no index can
-- serve, so every settle and reserve batch read every wallet.
CREATE OR REPLACE FUNCTION payer_wallets(user_ids integer[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
	SELECT coalesce(array_agg(p.id), '{}') FROM (
		SELECT w.id FROM wallets w WHERE w.user_id = ANY (user_ids)
		UNION
		SELECT gw.id FROM wallets gw WHERE gw.enterprise_id = ANY (ARRAY(
			SELECT m.enterprise_id FROM memberships m WHERE m.user_id = ANY (user_ids) AND m.is_active AND NOT m.suspended))
	) p;
$$;--> statement-breakpoint

-- settle_usage as in 0024_wallet_held.sql, with its payer wallets looked up by key: locked through
-- payer_wallets, each membership's enterprise wallet read by enterprise id (a join let the planner
-- read every enterprise wallet), and the balances and grants it posts to updated through
-- `id = ANY (…)` (a hash join read every wallet while there were a few thousand).
CREATE OR REPLACE FUNCTION settle_usage(events jsonb, now_at timestamptz, check_periods boolean)
RETURNS TABLE (o integer, repeat boolean, cost bigint, wallet_id integer, enterprise_id integer, balance_after bigint, subscription_used bigint, payload_hash text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	n integer := jsonb_array_length(events);
	user_ids integer[];
	month_start date := date_trunc('month', now_at AT TIME ZONE 'UTC')::date;
	-- Locked wallets (index = position): id, owner user (0 for an enterprise), balance, credits in
	-- unusable grants, range of usable credit grants in g_*.
	w_ids integer[]; w_user integer[]; w_bal bigint[]; w_unusable bigint[]; w_gfirst integer[]; w_glast integer[];
	-- The locked grants (l_*), and the usable credit grants by wallet in burn-down order (g_*).
	l_id bigint[]; l_wallet integer[]; l_unit text[]; l_rem bigint[]; l_priority integer[]; l_expires timestamptz[]; l_usable boolean[];
	g_ids bigint[]; g_rem bigint[]; g_pos integer[];
	-- Usable token/image allowances in burn-down order; ua_*/ui_*: each user's token/image ones.
	a_ids bigint[]; a_rem bigint[];
	ua_user integer[]; ua_k integer[]; ui_user integer[]; ui_k integer[];
	-- Payer options by user in payment order: wallet index, enterprise, limit room (-1 = none), used here.
	p_user integer[]; p_w integer[]; p_enterprise integer[]; p_left bigint[]; p_used bigint[];
	-- Outcomes by event position.
	r_fresh boolean[]; r_cost bigint[]; r_wallet integer[]; r_enterprise integer[]; r_bal bigint[]; r_sub bigint[];
	-- Entries to post and allowance uses to record.
	e_wallet integer[] := '{}'; e_amount bigint[] := '{}'; e_after bigint[] := '{}'; e_key text[] := '{}'; e_ref text[] := '{}'; e_grant bigint[] := '{}';
	u_req text[] := '{}'; u_grant bigint[] := '{}'; u_units bigint[] := '{}'; u_credits bigint[] := '{}';
	ev record;
	fresh_count integer := 0;
	simple boolean := false;
	inserted integer;
	to_pay bigint; left_in bigint; left_out bigint; left_img bigint; take bigint; grant_part bigint; list_cost numeric;
	ev_uses bigint[]; ev_units bigint[];
	payer integer; payer_enterprise integer; chosen integer; k integer; pos integer; idx integer; first_entry integer;
BEGIN
	SELECT array_agg(DISTINCT x.user_id) INTO user_ids FROM jsonb_to_recordset(events) AS x(user_id integer);
	IF check_periods AND EXISTS (
		SELECT 1 FROM subscriptions s
		WHERE s.status = 'active' AND s.started_at <= now_at AND s.paid_through > now_at AND s.user_id = ANY (user_ids)
			AND NOT EXISTS (SELECT 1 FROM subscription_periods sp WHERE sp.subscription_id = s.id AND sp.period_start <= now_at AND sp.period_end > now_at)
	) THEN
		RAISE EXCEPTION 'a plan period is due' USING HINT = 'plan_periods_due';
	END IF;

	SELECT coalesce(array_agg(l.id ORDER BY l.id), '{}'), coalesce(array_agg(coalesce(l.user_id, 0) ORDER BY l.id), '{}'),
		coalesce(array_agg(l.balance ORDER BY l.id), '{}')
	INTO w_ids, w_user, w_bal
	FROM (
		SELECT w.id, w.user_id, w.balance FROM wallets w
		WHERE w.id = ANY (payer_wallets(user_ids))
		ORDER BY w.id FOR UPDATE
	) l;
	w_unusable := array_fill(0::bigint, ARRAY[cardinality(w_ids)]);
	w_gfirst := array_fill(0, ARRAY[cardinality(w_ids)]);
	w_glast := array_fill(-1, ARRAY[cardinality(w_ids)]);

	-- Grants with something left, locked in id order, then sorted out by unit and usability.
	SELECT array_agg(g.id ORDER BY g.id), array_agg(g.wallet_id ORDER BY g.id), array_agg(g.unit ORDER BY g.id),
		array_agg(g.remaining ORDER BY g.id), array_agg(g.priority ORDER BY g.id), array_agg(g.expires_at ORDER BY g.id),
		array_agg(g.effective_from <= now_at AND (g.expires_at IS NULL OR g.expires_at > now_at) ORDER BY g.id)
	INTO l_id, l_wallet, l_unit, l_rem, l_priority, l_expires, l_usable
	FROM (SELECT * FROM credit_grants g WHERE g.wallet_id = ANY (w_ids) AND g.remaining > 0 ORDER BY g.id FOR UPDATE) g;
	IF l_id IS NOT NULL THEN
		SELECT coalesce(array_agg(s.id ORDER BY s.pos, s.priority, s.expires_at NULLS LAST, s.id), '{}'),
			coalesce(array_agg(s.remaining ORDER BY s.pos, s.priority, s.expires_at NULLS LAST, s.id), '{}'),
			coalesce(array_agg(s.pos ORDER BY s.pos, s.priority, s.expires_at NULLS LAST, s.id), '{}')
		INTO g_ids, g_rem, g_pos
		FROM (SELECT sg.*, array_position(w_ids, sg.wallet_id) AS pos
			FROM unnest(l_id, l_wallet, l_unit, l_rem, l_priority, l_expires, l_usable) AS sg(id, wallet_id, unit, remaining, priority, expires_at, usable)
			WHERE sg.unit = 'credits' AND sg.usable) s;
		FOR k IN 1..cardinality(g_ids) LOOP
			IF w_gfirst[g_pos[k]] = 0 THEN w_gfirst[g_pos[k]] := k; END IF;
			w_glast[g_pos[k]] := k;
		END LOOP;
		FOR ev IN
			SELECT sg.wallet_id, sum(sg.remaining) AS unusable
			FROM unnest(l_wallet, l_unit, l_rem, l_usable) AS sg(wallet_id, unit, remaining, usable)
			WHERE sg.unit = 'credits' AND NOT sg.usable GROUP BY sg.wallet_id
		LOOP
			w_unusable[array_position(w_ids, ev.wallet_id)] := ev.unusable;
		END LOOP;
		SELECT coalesce(array_agg(sg.id ORDER BY sg.priority, sg.expires_at NULLS LAST, sg.id), '{}'),
			coalesce(array_agg(sg.remaining ORDER BY sg.priority, sg.expires_at NULLS LAST, sg.id), '{}')
		INTO a_ids, a_rem
		FROM unnest(l_id, l_unit, l_rem, l_priority, l_expires, l_usable) AS sg(id, unit, remaining, priority, expires_at, usable)
		WHERE sg.unit <> 'credits' AND sg.usable;
	END IF;

	-- Payer options, read with the wallets locked; a wallet that joined the chain meanwhile: retry.
	SELECT coalesce(array_agg(c.user_id ORDER BY c.user_id, c.priority ASC NULLS LAST, c.joined_at, c.id), '{}'),
		coalesce(array_agg(coalesce(array_position(w_ids, c.wallet_id), 0) ORDER BY c.user_id, c.priority ASC NULLS LAST, c.joined_at, c.id), '{}'),
		coalesce(array_agg(c.enterprise_id ORDER BY c.user_id, c.priority ASC NULLS LAST, c.joined_at, c.id), '{}'),
		coalesce(array_agg(CASE WHEN c.monthly_limit IS NULL THEN -1 ELSE greatest(0, c.monthly_limit - coalesce(c.spent, 0)) END
			ORDER BY c.user_id, c.priority ASC NULLS LAST, c.joined_at, c.id), '{}')
	INTO p_user, p_w, p_enterprise, p_left
	FROM (
		SELECT m.id, m.user_id, m.enterprise_id, m.priority, m.joined_at, m.monthly_limit, m.wallet_id, ms.spent
		FROM (SELECT m.*, (SELECT gw.id FROM wallets gw WHERE gw.enterprise_id = m.enterprise_id) AS wallet_id
			FROM memberships m WHERE m.user_id = ANY (user_ids) AND m.is_active AND NOT m.suspended) m
		LEFT JOIN member_month_spend ms ON m.monthly_limit IS NOT NULL AND ms.user_id = m.user_id AND ms.wallet_id = m.wallet_id AND ms.month = month_start
	) c;
	IF 0 = ANY (p_w) THEN
		RAISE EXCEPTION 'a payer wallet joined the chain after the lock' USING ERRCODE = 'serialization_failure';
	END IF;
	p_used := array_fill(0::bigint, ARRAY[cardinality(p_w)]);

	IF cardinality(a_ids) > 0 THEN
		SELECT coalesce(array_agg(uw.user_id ORDER BY uw.user_id, a.k) FILTER (WHERE sg.unit = 'tokens'), '{}'),
			coalesce(array_agg(a.k::integer ORDER BY uw.user_id, a.k) FILTER (WHERE sg.unit = 'tokens'), '{}'),
			coalesce(array_agg(uw.user_id ORDER BY uw.user_id, a.k) FILTER (WHERE sg.unit = 'images'), '{}'),
			coalesce(array_agg(a.k::integer ORDER BY uw.user_id, a.k) FILTER (WHERE sg.unit = 'images'), '{}')
		INTO ua_user, ua_k, ui_user, ui_k
		FROM (SELECT DISTINCT u.user_id, u.wallet_id FROM (
			SELECT w.user_id, w.id AS wallet_id FROM unnest(w_user, w_ids) AS w(user_id, id) WHERE w.user_id <> 0
			UNION ALL SELECT p.user_id, w_ids[p.wi] FROM unnest(p_user, p_w) AS p(user_id, wi)) u) uw
		JOIN unnest(l_id, l_wallet, l_unit) AS sg(id, wallet_id, unit) ON sg.wallet_id = uw.wallet_id
		JOIN unnest(a_ids) WITH ORDINALITY AS a(id, k) ON a.id = sg.id;
	ELSE
		ua_user := '{}'; ua_k := '{}'; ui_user := '{}'; ui_k := '{}';
	END IF;

	r_fresh := array_fill(false, ARRAY[n]);
	r_cost := array_fill(0::bigint, ARRAY[n]);
	r_wallet := array_fill(0, ARRAY[n]);
	r_enterprise := array_fill(0, ARRAY[n]);
	r_bal := array_fill(0::bigint, ARRAY[n]);
	r_sub := array_fill(0::bigint, ARRAY[n]);

	-- The fast path, set-based: with no token/image allowance in reach and every user's first choice
	-- able to pay all of the batch, each event's payer is its user's first enterprise (its own wallet
	-- when it has none, or for a cost of 0) whatever the order. That holds when each first
	-- enterprise's limit room covers all of its member's events in the batch and its spendable
	-- balance all events of the members it comes first for (repeats counted: an over-estimate).
	-- Otherwise (or for a user without a wallet, which the loop refuses) the loop below decides.
	IF coalesce(cardinality(a_ids), 0) = 0 AND NOT EXISTS (SELECT 1 FROM unnest(user_ids) AS u(id) WHERE u.id <> ALL (w_user)) THEN
		SELECT coalesce(bool_and(t.room_ok AND w_bal[t.wi] - w_unusable[t.wi] >= t.total), true) INTO simple
		FROM (
			SELECT p_w[f.k] AS wi, sum(c.total) AS total, bool_and(p_left[f.k] < 0 OR p_left[f.k] >= c.total) AS room_ok
			FROM (SELECT x.user_id, sum(x.cost) AS total FROM jsonb_to_recordset(events) AS x(user_id integer, cost bigint) GROUP BY x.user_id) c
			JOIN (SELECT p.user_id, min(p.k)::integer AS k FROM unnest(p_user) WITH ORDINALITY AS p(user_id, k) GROUP BY p.user_id) f ON f.user_id = c.user_id
			GROUP BY p_w[f.k]
		) t;
	END IF;

	IF simple THEN
		-- Each payer's debits run through the batch (c_end: its debits up to and including the event);
		-- its usable credit grants, in burn-down order, cover the stretch [g_end - remaining, g_end) of
		-- them, so an event's part of a grant is the overlap of the two stretches.
		WITH e AS (
			SELECT x.o::integer AS o, x.request_id, x.user_id, x.cost, min(x.o) OVER (PARTITION BY x.request_id) AS first_o
			FROM ROWS FROM (jsonb_to_recordset(events) AS (request_id text, user_id integer, cost bigint))
				WITH ORDINALITY AS x(request_id, user_id, cost, o)
		), own AS (
			SELECT w.user_id, w.k::integer AS k FROM unnest(w_user) WITH ORDINALITY AS w(user_id, k) WHERE w.user_id <> 0
		), opt AS (
			SELECT p.user_id, min(p.k)::integer AS k FROM unnest(p_user) WITH ORDINALITY AS p(user_id, k) GROUP BY p.user_id
		), f AS (
			SELECT e.o, e.request_id, e.cost,
				CASE WHEN e.cost > 0 AND opt.k IS NOT NULL THEN p_w[opt.k] ELSE own.k END AS wi,
				CASE WHEN e.cost > 0 AND opt.k IS NOT NULL THEN p_enterprise[opt.k] ELSE 0 END AS grp
			FROM e JOIN own ON own.user_id = e.user_id LEFT JOIN opt ON opt.user_id = e.user_id
			WHERE e.first_o = e.o AND NOT EXISTS (SELECT 1 FROM usage_records u WHERE u.request_id = e.request_id)
		), c AS (
			SELECT f.*, (sum(f.cost) OVER (PARTITION BY f.wi ORDER BY f.o))::bigint AS c_end FROM f
		), g AS (
			SELECT gg.k, gg.id, gg.pos, gg.remaining, (sum(gg.remaining) OVER (PARTITION BY gg.pos ORDER BY gg.k))::bigint AS g_end
			FROM unnest(g_ids, g_rem, g_pos) WITH ORDINALITY AS gg(id, remaining, pos, k)
		), part AS (
			SELECT c.o, c.request_id, c.wi, g.k AS seq, g.id AS grant_id,
				least(c.c_end, g.g_end) - greatest(c.c_end - c.cost, g.g_end - g.remaining) AS amount, least(c.c_end, g.g_end) AS debited
			FROM c JOIN g ON g.pos = c.wi AND c.cost > 0 AND g.g_end > c.c_end - c.cost AND g.g_end - g.remaining < c.c_end
		), granted AS (
			SELECT part.o, sum(part.amount)::bigint AS amount FROM part GROUP BY part.o
		), ent AS (
			SELECT part.o, part.request_id, part.wi, part.seq, part.grant_id, part.amount, part.debited FROM part
			UNION ALL
			SELECT c.o, c.request_id, c.wi, 2147483647, NULL, c.cost - coalesce(granted.amount, 0), c.c_end
			FROM c LEFT JOIN granted ON granted.o = c.o
			WHERE c.cost > coalesce(granted.amount, 0)
		), keyed AS (
			SELECT ent.*, row_number() OVER (PARTITION BY ent.o ORDER BY ent.seq DESC) = 1 AS last_part FROM ent
		), r AS (
			SELECT s.o, c.o IS NOT NULL AS fresh, coalesce(c.cost, 0) AS cost, coalesce(w_ids[c.wi], 0) AS wallet, coalesce(c.grp, 0) AS grp,
				coalesce(w_bal[c.wi] - c.c_end, 0) AS bal, coalesce(granted.amount, 0) AS sub
			FROM generate_series(1, n) AS s(o) LEFT JOIN c ON c.o = s.o LEFT JOIN granted ON granted.o = s.o
		)
		SELECT (SELECT count(*) FROM c),
			r_agg.fresh, r_agg.cost, r_agg.wallet, r_agg.grp, r_agg.bal, r_agg.sub,
			coalesce(e_agg.wallet, '{}'), coalesce(e_agg.amount, '{}'), coalesce(e_agg.after, '{}'), coalesce(e_agg.key, '{}'),
			coalesce(e_agg.ref, '{}'), coalesce(e_agg.grant_id, '{}')
		INTO fresh_count, r_fresh, r_cost, r_wallet, r_enterprise, r_bal, r_sub, e_wallet, e_amount, e_after, e_key, e_ref, e_grant
		FROM (SELECT array_agg(r.fresh ORDER BY r.o) AS fresh, array_agg(r.cost ORDER BY r.o) AS cost, array_agg(r.wallet ORDER BY r.o) AS wallet,
				array_agg(r.grp ORDER BY r.o) AS grp, array_agg(r.bal ORDER BY r.o) AS bal, array_agg(r.sub ORDER BY r.o) AS sub FROM r) r_agg,
			(SELECT array_agg(w_ids[k.wi] ORDER BY k.o, k.seq) AS wallet, array_agg(-k.amount ORDER BY k.o, k.seq) AS amount,
				array_agg(w_bal[k.wi] - k.debited ORDER BY k.o, k.seq) AS after,
				array_agg(CASE WHEN k.last_part THEN 'usage:' || k.request_id ELSE 'usage:' || k.request_id || '#grant:' || k.grant_id END ORDER BY k.o, k.seq) AS key,
				array_agg('usage:' || k.request_id ORDER BY k.o, k.seq) AS ref, array_agg(k.grant_id ORDER BY k.o, k.seq) AS grant_id FROM keyed k) e_agg;

		-- Answers: a request id settled before answers with its record; a repeat in the batch with the first.
		IF fresh_count = n THEN
			RETURN QUERY
			SELECT x.o::integer, false, r_cost[x.o], r_wallet[x.o], nullif(r_enterprise[x.o], 0), r_bal[x.o], r_sub[x.o], x.payload_hash
			FROM ROWS FROM (jsonb_to_recordset(events) AS (payload_hash text)) WITH ORDINALITY AS x(payload_hash, o);
		ELSE
			RETURN QUERY
			WITH e AS (
				SELECT x.o::integer AS o, x.request_id, x.payload_hash, (min(x.o) OVER (PARTITION BY x.request_id))::integer AS first_o,
					first_value(x.payload_hash) OVER (PARTITION BY x.request_id ORDER BY x.o) AS first_hash
				FROM ROWS FROM (jsonb_to_recordset(events) AS (request_id text, payload_hash text))
					WITH ORDINALITY AS x(request_id, payload_hash, o)
			)
			SELECT e.o, e.o <> e.first_o OR NOT r_fresh[e.first_o],
				CASE WHEN r_fresh[e.first_o] THEN r_cost[e.first_o] ELSE u.cost END,
				CASE WHEN r_fresh[e.first_o] THEN r_wallet[e.first_o] ELSE u.wallet_id END,
				CASE WHEN r_fresh[e.first_o] THEN nullif(r_enterprise[e.first_o], 0) ELSE u.enterprise_id END,
				CASE WHEN r_fresh[e.first_o] THEN r_bal[e.first_o] ELSE le.balance_after END,
				CASE WHEN r_fresh[e.first_o] THEN r_sub[e.first_o] ELSE u.subscription_used END,
				CASE WHEN r_fresh[e.first_o] THEN e.first_hash ELSE u.payload_hash END
			FROM e
			LEFT JOIN LATERAL (SELECT u.cost, u.wallet_id, u.enterprise_id, u.subscription_used, u.payload_hash FROM usage_records u
				WHERE NOT r_fresh[e.first_o] AND u.request_id = e.request_id LIMIT 1) u ON true
			LEFT JOIN LATERAL (SELECT le.balance_after FROM ledger_entries le
				WHERE NOT r_fresh[e.first_o] AND le.idempotency_key = 'usage:' || e.request_id LIMIT 1) le ON true;
		END IF;
	ELSE
		FOR ev IN
			WITH e AS (
				SELECT x.*, min(x.o) OVER (PARTITION BY x.request_id) AS first_o,
					first_value(x.payload_hash) OVER (PARTITION BY x.request_id ORDER BY x.o) AS first_hash
				FROM ROWS FROM (jsonb_to_recordset(events) AS (request_id text, user_id integer, cost bigint, input_tokens bigint,
					output_tokens bigint, images bigint, payload_hash text, priced boolean, input_price bigint, output_price bigint, image_price bigint))
					WITH ORDINALITY AS x(request_id, user_id, cost, input_tokens, output_tokens, images, payload_hash, priced,
						input_price, output_price, image_price, o)
			), own AS (
				SELECT w.user_id, w.k::integer AS k FROM unnest(w_user) WITH ORDINALITY AS w(user_id, k) WHERE w.user_id <> 0
			), opt AS (
				SELECT p.user_id, min(p.k)::integer AS first_k, max(p.k)::integer AS last_k FROM unnest(p_user) WITH ORDINALITY AS p(user_id, k) GROUP BY p.user_id
			), tok AS (
				SELECT t.user_id, min(t.k)::integer AS first_k, max(t.k)::integer AS last_k FROM unnest(ua_user) WITH ORDINALITY AS t(user_id, k) GROUP BY t.user_id
			), img AS (
				SELECT t.user_id, min(t.k)::integer AS first_k, max(t.k)::integer AS last_k FROM unnest(ui_user) WITH ORDINALITY AS t(user_id, k) GROUP BY t.user_id
			)
			SELECT e.*, own.k AS own_k, opt.first_k AS opt_first, opt.last_k AS opt_last, tok.first_k AS tok_first, tok.last_k AS tok_last,
				img.first_k AS img_first, img.last_k AS img_last,
				u.request_id IS NOT NULL AS settled_before, u.cost AS u_cost, u.wallet_id AS u_wallet, u.enterprise_id AS u_enterprise,
				le.balance_after AS u_balance_after, u.subscription_used AS u_sub, u.payload_hash AS u_hash
			FROM e
			LEFT JOIN own ON own.user_id = e.user_id
			LEFT JOIN opt ON opt.user_id = e.user_id
			LEFT JOIN tok ON tok.user_id = e.user_id
			LEFT JOIN img ON img.user_id = e.user_id
			LEFT JOIN LATERAL (SELECT u.request_id, u.cost, u.wallet_id, u.enterprise_id, u.subscription_used, u.payload_hash FROM usage_records u
				WHERE u.request_id = e.request_id LIMIT 1) u ON true
			LEFT JOIN LATERAL (SELECT le.balance_after FROM ledger_entries le
				WHERE u.request_id IS NOT NULL AND le.idempotency_key = 'usage:' || u.request_id LIMIT 1) le ON true
			ORDER BY e.o
		LOOP
			o := ev.o;
			IF ev.settled_before THEN
				repeat := true; cost := ev.u_cost; wallet_id := ev.u_wallet; enterprise_id := ev.u_enterprise;
				balance_after := ev.u_balance_after; subscription_used := ev.u_sub; payload_hash := ev.u_hash;
				RETURN NEXT;
				CONTINUE;
			END IF;
			IF ev.first_o < ev.o THEN
				repeat := true; cost := r_cost[ev.first_o]; wallet_id := r_wallet[ev.first_o]; enterprise_id := nullif(r_enterprise[ev.first_o], 0);
				balance_after := r_bal[ev.first_o]; subscription_used := r_sub[ev.first_o]; payload_hash := ev.first_hash;
				RETURN NEXT;
				CONTINUE;
			END IF;
			IF ev.own_k IS NULL THEN
				RAISE EXCEPTION 'user % has no wallet to pay from', ev.user_id;
			END IF;

			-- Plans: token and image allowances first; only to_pay goes through the payer chain.
			to_pay := ev.cost;
			IF ev.priced AND ev.cost > 0 AND (ev.tok_first IS NOT NULL OR ev.img_first IS NOT NULL) THEN
				ev_uses := '{}'; ev_units := '{}';
				left_in := ev.input_tokens; left_out := ev.output_tokens; left_img := ev.images;
				FOR k IN coalesce(ev.tok_first, 1)..coalesce(ev.tok_last, 0) LOOP
					EXIT WHEN left_in = 0 AND left_out = 0;
					idx := ua_k[k];
					CONTINUE WHEN a_rem[idx] = 0;
					take := least(a_rem[idx], left_in + left_out);
					a_rem[idx] := a_rem[idx] - take;
					IF take <= left_in THEN left_in := left_in - take; ELSE left_out := left_out - (take - left_in); left_in := 0; END IF;
					ev_uses := ev_uses || a_ids[idx]; ev_units := ev_units || take;
				END LOOP;
				FOR k IN coalesce(ev.img_first, 1)..coalesce(ev.img_last, 0) LOOP
					EXIT WHEN left_img = 0;
					idx := ui_k[k];
					CONTINUE WHEN a_rem[idx] = 0;
					take := least(a_rem[idx], left_img);
					a_rem[idx] := a_rem[idx] - take;
					left_img := left_img - take;
					ev_uses := ev_uses || a_ids[idx]; ev_units := ev_units || take;
				END LOOP;
				IF cardinality(ev_uses) > 0 THEN
					IF left_in = 0 AND left_out = 0 AND left_img = 0 THEN
						to_pay := 0;
					ELSE
						IF left_img > 0 AND ev.image_price IS NULL THEN
							RAISE EXCEPTION 'this model has no per-image price';
						END IF;
						list_cost := div(left_in::numeric * ev.input_price + left_out::numeric * ev.output_price + 999999, 1000000) + left_img::numeric * coalesce(ev.image_price, 0);
						to_pay := least(ev.cost::numeric, list_cost)::bigint;
					END IF;
					FOR k IN 1..cardinality(ev_uses) LOOP
						u_req := u_req || ev.request_id; u_grant := u_grant || ev_uses[k]; u_units := u_units || ev_units[k];
						u_credits := u_credits || (CASE WHEN k = 1 THEN ev.cost - to_pay ELSE 0 END);
					END LOOP;
				END IF;
			END IF;

			-- The payer: the first enterprise whose limit room and spendable balance cover to_pay, else the own wallet.
			payer := ev.own_k; payer_enterprise := 0; chosen := 0;
			IF to_pay > 0 AND ev.opt_first IS NOT NULL THEN
				FOR k IN ev.opt_first..ev.opt_last LOOP
					CONTINUE WHEN p_left[k] >= 0 AND p_left[k] - p_used[k] < to_pay;
					IF w_bal[p_w[k]] - w_unusable[p_w[k]] >= to_pay THEN
						payer := p_w[k]; payer_enterprise := p_enterprise[k]; chosen := k;
						EXIT;
					END IF;
				END LOOP;
			END IF;
			IF chosen > 0 THEN p_used[chosen] := p_used[chosen] + to_pay; END IF;

			-- Credit grants of the payer in burn-down order, the rest from the regular balance.
			take := to_pay; grant_part := 0; first_entry := cardinality(e_key) + 1;
			IF w_gfirst[payer] > 0 THEN
				FOR k IN w_gfirst[payer]..w_glast[payer] LOOP
					EXIT WHEN take = 0;
					CONTINUE WHEN g_rem[k] = 0;
					left_in := least(g_rem[k], take);
					g_rem[k] := g_rem[k] - left_in;
					take := take - left_in;
					grant_part := grant_part + left_in;
					w_bal[payer] := w_bal[payer] - left_in;
					e_wallet := e_wallet || w_ids[payer]; e_amount := e_amount || -left_in; e_after := e_after || w_bal[payer];
					e_key := e_key || ('usage:' || ev.request_id || '#grant:' || g_ids[k]); e_ref := e_ref || ('usage:' || ev.request_id); e_grant := e_grant || g_ids[k];
				END LOOP;
			END IF;
			IF take > 0 THEN
				w_bal[payer] := w_bal[payer] - take;
				e_wallet := e_wallet || w_ids[payer]; e_amount := e_amount || -take; e_after := e_after || w_bal[payer];
				e_key := e_key || ('usage:' || ev.request_id); e_ref := e_ref || ('usage:' || ev.request_id); e_grant := e_grant || NULL::bigint;
			ELSIF cardinality(e_key) >= first_entry THEN
				e_key[cardinality(e_key)] := 'usage:' || ev.request_id;
			END IF;

			fresh_count := fresh_count + 1;
			r_fresh[ev.o] := true; r_cost[ev.o] := ev.cost; r_wallet[ev.o] := w_ids[payer]; r_enterprise[ev.o] := payer_enterprise;
			r_bal[ev.o] := w_bal[payer]; r_sub[ev.o] := ev.cost - to_pay + grant_part;
			repeat := false; cost := ev.cost; wallet_id := w_ids[payer]; enterprise_id := nullif(payer_enterprise, 0);
			balance_after := w_bal[payer]; subscription_used := r_sub[ev.o]; payload_hash := ev.payload_hash;
			RETURN NEXT;
		END LOOP;
	END IF;
	IF fresh_count = 0 THEN
		RETURN;
	END IF;

	INSERT INTO usage_records (request_id, user_id, api_key_id, model, input_tokens, output_tokens, images, cost,
		wallet_id, enterprise_id, subscription_used, regular_used, occurred_at, metadata, payload_hash)
	SELECT x.request_id, x.user_id, x.api_key_id, x.model, x.input_tokens, x.output_tokens, coalesce(x.images, 0), x.cost,
		r_wallet[x.o], nullif(r_enterprise[x.o], 0), r_sub[x.o], x.cost - r_sub[x.o], x.occurred_at, nullif(x.metadata, 'null'::jsonb), x.payload_hash
	FROM ROWS FROM (jsonb_to_recordset(events) AS (request_id text, user_id integer, api_key_id integer, model text, input_tokens bigint,
		output_tokens bigint, images bigint, cost bigint, occurred_at timestamptz, metadata jsonb, payload_hash text))
		WITH ORDINALITY AS x(request_id, user_id, api_key_id, model, input_tokens, output_tokens, images, cost, occurred_at, metadata, payload_hash, o)
	WHERE r_fresh[x.o]
	ORDER BY x.request_id
	ON CONFLICT (request_id) DO NOTHING;
	GET DIAGNOSTICS inserted = ROW_COUNT;
	IF inserted <> fresh_count THEN
		RAISE EXCEPTION '% request ids were settled concurrently', fresh_count - inserted USING ERRCODE = 'serialization_failure';
	END IF;

	-- The entries, written here rather than through post_entries: the wallets and grants are locked
	-- above, every entry is a usage debit of a locked wallet (grant entries name a usable credit grant
	-- of that wallet) and balance_after runs through the batch in w_bal. A key posted meanwhile
	-- fails the unique index (no silent duplicate).
	IF cardinality(e_key) > 0 THEN
		INSERT INTO ledger_entries (wallet_id, amount, balance_after, kind, idempotency_key, reference, grant_id)
		SELECT t.wallet_id, t.amount, t.balance_after, 'usage', t.key, t.reference, t.grant_id
		FROM unnest(e_wallet, e_amount, e_after, e_key, e_ref, e_grant) WITH ORDINALITY AS t(wallet_id, amount, balance_after, key, reference, grant_id, i)
		ORDER BY t.i;
		UPDATE wallets w SET balance = w.balance + d.delta, updated_at = now()
		FROM (SELECT t.wallet_id, sum(t.amount) AS delta FROM unnest(e_wallet, e_amount) AS t(wallet_id, amount) GROUP BY t.wallet_id) d
		WHERE w.id = ANY (e_wallet) AND w.id = d.wallet_id;
		UPDATE credit_grants g SET remaining = g.remaining + d.delta
		FROM (SELECT t.grant_id, sum(t.amount) AS delta FROM unnest(e_grant, e_amount) AS t(grant_id, amount) WHERE t.grant_id IS NOT NULL GROUP BY t.grant_id) d
		WHERE g.id = ANY (e_grant) AND g.id = d.grant_id;
	END IF;

	IF cardinality(u_req) > 0 THEN
		WITH ins AS (
			INSERT INTO allowance_uses (request_id, grant_id, units, credits)
			SELECT x.request_id, x.grant_id, x.units, x.credits
			FROM unnest(u_req, u_grant, u_units, u_credits) AS x(request_id, grant_id, units, credits)
			ORDER BY x.grant_id, x.request_id
			ON CONFLICT (request_id, grant_id) DO NOTHING
			RETURNING allowance_uses.grant_id, allowance_uses.units
		), lowered AS (
			UPDATE credit_grants g SET remaining = g.remaining - d.units
			FROM (SELECT ins.grant_id, sum(ins.units) AS units FROM ins GROUP BY ins.grant_id) d
			WHERE g.id = d.grant_id
			RETURNING g.id, g.wallet_id, g.source, g.original, g.remaining + d.units AS before, g.remaining AS after
		), raised AS (
			INSERT INTO alerts (wallet_id, kind, balance, threshold, percent)
			SELECT l.wallet_id, 'plan_allowance', l.original - l.after, l.original, t.percent
			FROM lowered l CROSS JOIN (VALUES (80), (100)) AS t(percent)
			WHERE l.source = 'plan_allowance' AND l.original > 0
				AND l.before * 100 > l.original * (100 - t.percent) AND l.after * 100 <= l.original * (100 - t.percent)
			ORDER BY l.id, t.percent
			RETURNING alerts.wallet_id
		)
		SELECT count(pg_notify('tally_alerts', raised.wallet_id::text)) INTO inserted FROM raised;
	END IF;

	WITH settled AS (
		SELECT x.request_id, x.cost FROM ROWS FROM (jsonb_to_recordset(events) AS (request_id text, cost bigint))
			WITH ORDINALITY AS x(request_id, cost, o)
		WHERE r_fresh[x.o]
	), captured AS (
		UPDATE holds h SET status = 'captured', resolved_at = now_at, captured_cost = s.cost
		FROM settled s
		-- resolved_at IS NULL is status = 'active' (holds_resolution), written so that no partial index
		-- of active holds serves this read: those list every hold in flight.
		WHERE h.request_id = ANY (ARRAY(SELECT settled.request_id FROM settled))
			AND h.request_id = s.request_id AND h.resolved_at IS NULL AND h.expires_at > now_at
		RETURNING h.id, s.cost
	)
	INSERT INTO hold_events (hold_id, event, amount, at) SELECT captured.id, 'captured', captured.cost, now_at FROM captured;

	-- The roll-ups (as roll_up_usage, without its JSON): enterprise wallets are those with a enterprise.
	INSERT INTO usage_daily (day, user_id, wallet_id, model, requests, input_tokens, output_tokens, cost)
	SELECT (x.occurred_at AT TIME ZONE 'UTC')::date AS day, x.user_id, r_wallet[x.o], x.model, count(*), sum(x.input_tokens), sum(x.output_tokens), sum(x.cost)
	FROM ROWS FROM (jsonb_to_recordset(events) AS (occurred_at timestamptz, user_id integer, model text, input_tokens bigint, output_tokens bigint, cost bigint))
		WITH ORDINALITY AS x(occurred_at, user_id, model, input_tokens, output_tokens, cost, o)
	WHERE r_fresh[x.o]
	GROUP BY x.user_id, day, x.model, r_wallet[x.o]
	ORDER BY x.user_id, day, x.model, r_wallet[x.o]
	ON CONFLICT (user_id, day, model, wallet_id) DO UPDATE SET
		requests = usage_daily.requests + excluded.requests,
		input_tokens = usage_daily.input_tokens + excluded.input_tokens,
		output_tokens = usage_daily.output_tokens + excluded.output_tokens,
		cost = usage_daily.cost + excluded.cost;
	IF 0 < ANY (r_enterprise) THEN
		INSERT INTO member_month_spend (user_id, wallet_id, month, spent)
		SELECT x.user_id, r_wallet[x.o], date_trunc('month', x.occurred_at AT TIME ZONE 'UTC')::date AS month, sum(x.cost)
		FROM ROWS FROM (jsonb_to_recordset(events) AS (occurred_at timestamptz, user_id integer, cost bigint))
			WITH ORDINALITY AS x(occurred_at, user_id, cost, o)
		WHERE r_fresh[x.o] AND r_enterprise[x.o] <> 0
		GROUP BY x.user_id, r_wallet[x.o], month
		ORDER BY x.user_id, r_wallet[x.o], month
		ON CONFLICT (user_id, wallet_id, month) DO UPDATE SET spent = member_month_spend.spent + excluded.spent;
	END IF;
END;
$$;--> statement-breakpoint

-- CREATE OR REPLACE FUNCTION resets this setting: a later definition of settle_usage must repeat it.
ALTER FUNCTION settle_usage(jsonb, timestamptz, boolean) SET plan_cache_mode = force_generic_plan;--> statement-breakpoint

-- reserve_holds as in 0024_wallet_held.sql, with its payer wallets looked up by key as settle_usage's.
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
		WHERE w.id = ANY (payer_wallets(user_ids))
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
		SELECT m.id, m.user_id, false AS own, m.priority, m.joined_at, m.wallet_id, m.enterprise_id,
			CASE WHEN m.monthly_limit IS NULL THEN -1 ELSE greatest(0, m.monthly_limit - coalesce(ms.spent, 0)) END AS room
		FROM (SELECT m.*, (SELECT gw.id FROM wallets gw WHERE gw.enterprise_id = m.enterprise_id) AS wallet_id
			FROM memberships m WHERE m.user_id = ANY (user_ids) AND m.is_active AND NOT m.suspended) m
		LEFT JOIN member_month_spend ms ON m.monthly_limit IS NOT NULL AND ms.user_id = m.user_id AND ms.wallet_id = m.wallet_id AND ms.month = month_start
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
