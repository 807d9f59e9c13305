-- Supervisor-override lockout (auth.authorize_override) counts wrong PINs per requesting clerk
-- and per workstation from the audit log itself: these keep that a few index probes, not a scan
-- of a log that only grows. Partial (override rows only), so they are small and no other query
-- on the log changes its plan or its row order.
CREATE INDEX audit_log_override_clerk ON audit_log (clerk, action)
    WHERE action GLOB 'override.*';
CREATE INDEX audit_log_override_workstation ON audit_log (workstation, action)
    WHERE action GLOB 'override.*';
