/**
 * A workflow-run service, written twice. At most one run of a workflow may run at a time.
 *
 * <p>{@link dev.lockstep.examples.workflow.NaiveWorkflowRuns} keeps runs in its own {@code workflow_run}
 * table and starts one with check-then-act: {@code SELECT count(*)} of the workflow's running runs, then,
 * on 0, an {@code UPDATE} to running. Two starts of two pending runs of one workflow that both count
 * before either updates both read 0, and both runs run; {@code WorkflowRunRacesIT} has the race harness
 * find that interleaving on SQLite and PostgreSQL.
 *
 * <p>{@link dev.lockstep.examples.workflow.CoordinatedWorkflowRuns} keeps the runs with lock-core, the
 * workflow as the key: the same start-start race finds no failing schedule, two resumes of one failed run
 * have exactly one winner, and a cancel racing the worker's complete answers what the table holds.
 */
package dev.lockstep.examples.workflow;
