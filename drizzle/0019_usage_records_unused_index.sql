-- No query reads usage records by (group_id, occurred_at): enterprise reports read by wallet, and
-- settlement writes one index entry less per event.
DROP INDEX "usage_records_group_time_idx";