/**
 * Race tests in JUnit 5: {@link dev.lockstep.junit.RaceTest}, the one entry point. The extension behind it
 * ({@link dev.lockstep.junit.RaceTestExtension}) is registered by the annotation; nothing else here is for use.
 */
package dev.lockstep.junit;
