-- settle_usage's statements take arrays and jsonb whose sizes the planner cannot see, so PL/pgSQL
-- kept choosing a fresh custom plan for several of them on every call (about 0.7 ms of planning
-- per batch, most of a one-event batch's time in the function). Their generic plans are the
-- same index scans; planning them once per connection is enough.
ALTER FUNCTION settle_usage(jsonb, timestamptz, boolean) SET plan_cache_mode = force_generic_plan;
-- CREATE OR REPLACE FUNCTION resets this setting: a later definition of settle_usage must repeat it.
