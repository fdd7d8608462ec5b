-- wrk script for bench/usage.ts: one usage event per POST /api/v1/usage, each with a unique
-- request id. Settings come from the environment: BENCH_KEY, BENCH_PREFIX, BENCH_MODEL,
-- BENCH_USER_MIN, BENCH_USER_MAX (equal for the hot scenario).
local threads = {}
local next_thread = 1

function setup(thread)
	thread:set("tid", next_thread)
	next_thread = next_thread + 1
	table.insert(threads, thread)
end

function init(args)
	counter = 0
	prefix = os.getenv("BENCH_PREFIX")
	model = os.getenv("BENCH_MODEL")
	user_min = tonumber(os.getenv("BENCH_USER_MIN"))
	user_max = tonumber(os.getenv("BENCH_USER_MAX"))
	math.randomseed(tid * 7919)
	headers = {
		["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY"),
		["Content-Type"] = "application/json"
	}
end

function request()
	counter = counter + 1
	local user = math.random(user_min, user_max)
	local body = string.format(
		'{"request_id":"%s-%d-%d","user_id":%d,"model":"%s","input_tokens":%d,"output_tokens":%d}',
		prefix, tid, counter, user, model, 200 + math.random(0, 3000), 50 + math.random(0, 800))
	return wrk.format("POST", "/api/v1/usage", headers, body)
end
