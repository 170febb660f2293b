-- How the district's sign-in names its educators (common/identity.c): each educator's email (lower-cased),
-- OneRoster sourcedId, username and userMasterIdentifier, fed by the roster's educator events
-- (educator.upserted / educator.deactivated) in the consumer's transaction. A token's identity claim is looked
-- up here (HG_IDENTITY_MATCH); the roster service looks in its own educators instead. Values are not unique:
-- two educators sharing one answer 403 ambiguous_principal rather than one of them at random.
CREATE TABLE identities (
  district_id uuid NOT NULL,
  educator_id uuid NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('email', 'sourced_id', 'username', 'user_master_identifier')),
  value       text NOT NULL CHECK (char_length(value) BETWEEN 1 AND 1024),
  active      boolean NOT NULL,
  version     bigint NOT NULL,
  PRIMARY KEY (district_id, educator_id, kind)
);
CREATE INDEX identities_lookup ON identities (district_id, kind, value);
