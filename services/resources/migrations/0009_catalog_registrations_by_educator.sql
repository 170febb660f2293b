-- An educator's open registrations, found when the roster deactivates them (roster_model_store.c): their
-- registrations of sessions still open are cancelled in the same transaction as the read model's update.
CREATE INDEX catalog_registrations_open_by_educator ON catalog_registrations (district_id, educator_id)
  WHERE status <> 'cancelled';
