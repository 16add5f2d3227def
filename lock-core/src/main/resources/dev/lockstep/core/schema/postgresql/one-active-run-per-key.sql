-- Installed for the running-at-creation strategy: the database itself refuses a second active run
-- of one key. Do not install it beside the unsafe naive guard when demonstrating that guard's bug.
CREATE UNIQUE INDEX IF NOT EXISTS lockstep_run_one_active_per_key ON lockstep_run (run_key)
    WHERE status IN ('running', 'paused');
