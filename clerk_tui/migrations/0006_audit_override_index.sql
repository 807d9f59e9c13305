-- Supervisor-override lockout (auth.authorize_override) counts wrong PINs per requesting clerk
-- and per workstation from the audit log itself: these keep that a few index probes, not a scan
-- of a log that only grows.
CREATE INDEX audit_log_by_action_clerk ON audit_log (action, clerk);
CREATE INDEX audit_log_by_action_workstation ON audit_log (action, workstation);
