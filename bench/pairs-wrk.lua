-- wrk script for bench/usage.ts: reserve-then-settle pairs, as a gateway makes them. Run with as
-- many threads as connections (one connection per thread), so each thread's calls strictly
-- alternate: POST /api/v1/usage/authorize with reserve: true, and once its answer allowed the hold,
-- POST /api/v1/usage with the same request id. Settings come from the environment: BENCH_KEY,
-- BENCH_PREFIX, BENCH_MODEL, BENCH_USER_MIN, BENCH_USER_MAX (read by usage-wrk.lua). done() prints one line per figure
-- ("pairs: <n>", "refused: <n>", "settle_failed: <n>") and "failure: <status> <body>" for the first few.

-- The setup and init of bench/usage-wrk.lua (thread ids, the environment, headers), extended.
dofile("bench/usage-wrk.lua")

local threads = {}
local base_setup = setup
function setup(thread)
	base_setup(thread)
	table.insert(threads, thread)
end

local base_init = init
function init(args)
	base_init(args)
	pairs_done = 0
	refused = 0
	settle_failed = 0
	failure = ""
	current = nil
	user = nil
	reserved = false
end

function request()
	if reserved then
		return wrk.format("POST", "/api/v1/usage", headers, string.format(
			'{"request_id":"%s","user_id":%d,"model":"%s","input_tokens":%d,"output_tokens":%d}',
			current, user, model, 200 + math.random(0, 3000), 50 + math.random(0, 800)))
	end
	counter = counter + 1
	current = string.format("%s-%d-%d", prefix, tid, counter)
	user = math.random(user_min, user_max)
	return wrk.format("POST", "/api/v1/usage/authorize", headers, string.format(
		'{"user_id":%d,"model":"%s","reserve":true,"request_id":"%s","estimated_input_tokens":4000,"max_output_tokens":1000,"ttl_seconds":600}',
		user, model, current))
end

function response(status, headers, body)
	if reserved then
		reserved = false
		if status == 200 then
			pairs_done = pairs_done + 1
		else
			settle_failed = settle_failed + 1
			if failure == "" then failure = "settle " .. status .. " " .. string.sub(body, 1, 300) end
		end
	elseif status == 200 and string.find(body, '"allowed":true', 1, true) then
		reserved = true
	else
		refused = refused + 1
		if failure == "" then failure = "reserve " .. status .. " " .. string.sub(body, 1, 300) end
	end
end

function done(summary, latency, requests)
	local totals = { pairs = 0, refused = 0, settle_failed = 0 }
	for _, thread in ipairs(threads) do
		totals.pairs = totals.pairs + thread:get("pairs_done")
		totals.refused = totals.refused + thread:get("refused")
		totals.settle_failed = totals.settle_failed + thread:get("settle_failed")
		local f = thread:get("failure")
		if f ~= "" then io.write("failure: " .. string.gsub(f, "\n", " ") .. "\n") end
	end
	io.write(string.format("pairs: %d\nrefused: %d\nsettle_failed: %d\n", totals.pairs, totals.refused, totals.settle_failed))
end
