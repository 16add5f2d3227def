package dev.lockstep.bench;

/**
 * Reported after each cell, for a progress bar.
 *
 * @param cellsDone  cells finished so far, 1..cellsTotal
 * @param cellsTotal cells in the whole benchmark
 * @param finished   the cell just finished
 */
public record Progress(int cellsDone, int cellsTotal, CellResult finished) {

    /** The fraction done, 0..1. */
    public double fraction() {
        return (double) cellsDone / cellsTotal;
    }
}
