package dev.lockstep.bench;

import static dev.lockstep.bench.Cells.cell;
import static dev.lockstep.bench.Cells.withErrors;
import static dev.lockstep.bench.Cells.withViolations;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultFormatsTest {

    private static final List<CellResult> CELLS = List.of(
            withViolations(cell(Subject.NAIVE_GUARD, 4, 1, 1_500, 2_000), 3),
            withErrors(cell(Subject.ADVISORY_LOCK, 4, 1_000, 12_345, 850), 2, "DatabaseException: said \"no\""));

    private static final BenchmarkResult RESULT = new BenchmarkResult("SQLite 3.50.3",
            Benchmark.Options.quick().withSubjects(Subject.NAIVE_GUARD, Subject.ADVISORY_LOCK).withThreads(4)
                    .withKeys(1, 1000).withDuration(Duration.ofSeconds(1)).withWarmup(Duration.ZERO).withSeed(7),
            CELLS, new Recommendation(Optional.empty(), "none:\n\tall ruled out"));

    @Test
    void the_table_aligns_figures_right_and_lists_the_errors_under_it() {
        assertThat(RESULT.table()).isEqualTo("""
                subject        safe         threads   keys  claims/s  p50 µs  p99 µs  p99.9 µs  claims  rejections  errors  violations
                naive-guard    NO (unsafe)        4      1     1,500     500   2,000     4,000   1,500          10       0           3
                advisory-lock  yes                4  1,000    12,345     212     850     1,700  12,345          10       2           0
                errors in advisory-lock at 4 threads x 1,000 keys:
                  2x DatabaseException: said "no"
                """);
    }

    @Test
    void the_csv_has_a_header_and_one_plain_line_per_cell() {
        assertThat(RESULT.csv()).isEqualTo("""
                subject,safety,threads,keys,duration_ms,attempts,claims,rejections,errors,violations,claims_per_s,p50_us,p99_us,p999_us
                naive-guard,unsafe,4,1,1000,1510,1500,10,0,3,1500.0,500,2000,4000
                advisory-lock,safe,4,1000,1000,12357,12345,10,2,0,12345.0,212,850,1700
                """);
    }

    @Test
    void the_json_escapes_strings_and_writes_null_for_no_recommendation() {
        assertThat(RESULT.json()).isEqualTo("""
                {
                  "database": "SQLite 3.50.3",
                  "options": {"subjects": ["naive-guard", "advisory-lock"], "threads": [4], "keys": [1, 1000], \
                "duration_ms": 1000, "warmup_ms": 0, "turns": 4, "work_us": 100, "seed": 7},
                  "cells": [
                    {"subject": "naive-guard", "safety": "unsafe", "threads": 4, "keys": 1, "duration_ms": 1000, \
                "attempts": 1510, "claims": 1500, "rejections": 10, "errors": 0, "violations": 3, "claims_per_s": 1500.0, \
                "p50_us": 500, "p99_us": 2000, "p999_us": 4000, "error_kinds": {}},
                    {"subject": "advisory-lock", "safety": "safe", "threads": 4, "keys": 1000, "duration_ms": 1000, \
                "attempts": 12357, "claims": 12345, "rejections": 10, "errors": 2, "violations": 0, "claims_per_s": 12345.0, \
                "p50_us": 212, "p99_us": 850, "p999_us": 1700, "error_kinds": {"DatabaseException: said \\"no\\"": 2}}
                  ],
                  "recommendation": {"subject": null, "explanation": "none:\\n\\tall ruled out"}
                }
                """);
    }

    @Test
    void json_strings_escape_control_characters() {
        assertThat(ResultJson.string("a\\b\u0001")).isEqualTo("\"a\\\\b\\u0001\"");
    }

    @Test
    void figures_read_the_same_in_every_locale() {
        assertThat(Figures.latency(999)).isEqualTo("999 µs");
        assertThat(Figures.latency(2_149)).isEqualTo("2.1 ms");
        assertThat(Figures.rate(1_239.6)).isEqualTo("1,240");
        assertThat(Figures.ratio(0.925)).isEqualTo("0.93x");
        assertThat(Figures.contention(1, 1_000)).isEqualTo("1 thread x 1,000 keys");
    }
}
