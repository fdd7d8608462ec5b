-- An invitee's inviter is recorded once and never changed.
CREATE OR REPLACE FUNCTION referrals_refuse_update() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION 'referrals: an invitee''s inviter cannot change' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER referrals_no_update
	BEFORE UPDATE ON referrals
	FOR EACH ROW EXECUTE FUNCTION referrals_refuse_update();
