package dev.lockstep.bench;

/**
 * One claim cycle on one key: acquire it; on success run the critical section, then release it.
 * A refusal because another holder has the key returns {@code false}; anything else that goes wrong
 * throws, and the benchmark counts it as an error.
 */
sealed interface ClaimCycle permits StrategyCycle, RawJdbcCycle, ShedLockCycle {

    /**
     * @param key      the key to claim
     * @param owner    who claims it (one name per worker)
     * @param critical what the holder does while it holds the key
     * @return true if the key was acquired and released, false if another holder had it
     */
    boolean attempt(String key, String owner, Runnable critical) throws Exception;
}
