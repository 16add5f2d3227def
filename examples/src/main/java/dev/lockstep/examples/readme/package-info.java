/**
 * The README's Java snippets, verbatim, in code that compiles: {@code ReadmeSnippetsTest} fails when a
 * snippet in the README is not found here (or, for the contract fixture, in lockstep-contract's tests)
 * line for line, imports included. Nothing here is run.
 */
package dev.lockstep.examples.readme;
