/**
 * Describing a race: actors, invariants, expected outcomes and schedules, as plain data that the
 * race harness runs. The scenario API arrives with the race-harness issue; this module knows nothing
 * about lock-core and is meant to be pointed at any code that talks to a database.
 */
package dev.lockstep.dsl;
