-- The educator's Homegrown roles as the roster's events carry them (derived from OneRoster and assigned by the
-- district), on each identity row: a resolved caller's roles are the token's and these (common/identity.c).
ALTER TABLE identities ADD COLUMN roles text[] NOT NULL DEFAULT '{}';
