-- Installed for the running-at-creation strategy: InnoDB itself refuses a second active run of one key, in its
-- own B-tree, on the hash that is non-null only while a run is running or paused. Do not install it beside the
-- unsafe naive guard when demonstrating that guard's bug.
CREATE UNIQUE INDEX IF NOT EXISTS lockstep_run_one_active_per_key ON lockstep_run (active_key_hash);
