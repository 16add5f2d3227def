package dev.lockstep.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the strategy to recommend from a benchmark's cells, and says why.
 *
 * <ol>
 *   <li>Safety first: a strategy that is unsafe by design (the naive guard), or showed a violation in
 *       any cell, is never recommended; nor is one that had errors (its figures would not be what a
 *       service gets). The references (raw JDBC, ShedLock) are yardsticks, never candidates.
 *   <li>Throughput: each remaining strategy's claims/s, as the geometric mean over its cells (so no one
 *       contention level outweighs the others). The best wins, except that strategies within
 *       {@value #TIE_PERCENT}% of the best count as tied;
 *   <li>tail latency breaks the tie: the lowest geometric-mean p99 among the tied wins (then the order of
 *       {@link Subject}).
 * </ol>
 * The explanation gives the choice's figures at every measured contention, with its ratios against raw
 * JDBC (the overhead) and ShedLock (the peer), then the runners-up, then what was ruled out and why.
 */
final class Recommender {

    static final int TIE_PERCENT = 5;

    private Recommender() {}

    static Recommendation recommend(List<CellResult> cells) {
        Map<Subject, List<CellResult>> bySubject = new LinkedHashMap<>();
        for (CellResult cell : cells) {
            if (!cell.subject().isReference()) {
                bySubject.computeIfAbsent(cell.subject(), s -> new ArrayList<>()).add(cell);
            }
        }
        List<Score> candidates = new ArrayList<>();
        List<String> ruledOut = new ArrayList<>();
        bySubject.forEach((subject, own) -> {
            Optional<String> reason = disqualification(subject, own);
            if (reason.isPresent()) {
                ruledOut.add(subject.label() + " (" + reason.get() + ")");
            } else {
                candidates.add(Score.of(subject, own));
            }
        });
        StringBuilder text = new StringBuilder();
        if (candidates.isEmpty()) {
            text.append(bySubject.isEmpty()
                    ? "No strategy recommended: no lock-core strategy was measured."
                    : "No strategy recommended: every strategy measured was ruled out.");
            appendRuledOut(text, ruledOut);
            return new Recommendation(Optional.empty(), text.toString());
        }
        candidates.sort(Comparator.comparingDouble(Score::claimsPerSecond).reversed()
                .thenComparing(Score::subject));
        Score fastest = candidates.get(0);
        List<Score> tied = candidates.stream()
                .filter(score -> score.claimsPerSecond() >= fastest.claimsPerSecond() * (100 - TIE_PERCENT) / 100.0)
                .sorted(Comparator.comparingDouble(Score::p99Micros).thenComparing(Score::subject))
                .toList();
        Score chosen = tied.get(0);

        text.append("Recommended: ").append(chosen.subject().label()).append(". ");
        int cellCount = bySubject.get(chosen.subject()).size();
        text.append("Safe: 0 violations in ").append(cellCount).append(cellCount == 1 ? " cell" : " cells").append(". ");
        if (chosen.subject().safety() == Subject.Safety.CONDITIONAL) {
            text.append("Only where every pre-create commits before another start's guard of its key runs (its documented limit). ");
        }
        if (candidates.size() == 1) {
            text.append("It is the only safe strategy without errors that was measured.");
        } else if (chosen == fastest) {
            text.append("Highest claims/s of the safe strategies (geometric mean over its cells");
            text.append(tied.size() > 1 ? "; tied within " + TIE_PERCENT + "% with " + labels(tied, chosen)
                    + " and chosen for its lower p99)." : ").");
        } else {
            text.append("Tied within ").append(TIE_PERCENT).append("% with ").append(labels(tied, chosen))
                    .append(" on claims/s (geometric mean over its cells) and chosen for its lower p99: ")
                    .append(Figures.latency(Math.round(chosen.p99Micros()))).append(" against ")
                    .append(fastest.subject().label()).append("'s ")
                    .append(Figures.latency(Math.round(fastest.p99Micros()))).append('.');
        }
        for (CellResult cell : bySubject.get(chosen.subject())) {
            text.append("\n  ").append(cellLine(cell, cells));
        }
        if (candidates.size() > 1) {
            text.append("\nAlso safe:");
            for (Score other : candidates) {
                if (other != chosen) {
                    text.append("\n  ").append(other.subject().label()).append(": ")
                            .append(Figures.ratio(other.claimsPerSecond() / chosen.claimsPerSecond()))
                            .append(" the claims/s of ").append(chosen.subject().label())
                            .append(", p99 ").append(Figures.latency(Math.round(other.p99Micros())))
                            .append(" (geometric means)");
                }
            }
        }
        appendRuledOut(text, ruledOut);
        return new Recommendation(Optional.of(chosen.subject()), text.toString());
    }

    /**
     * One cell of the chosen strategy, e.g. {@code advisory-lock: 0 violations, 1,240 claims/s at 4
     * threads x 1 key (0.93x raw JDBC, 1.60x ShedLock), p99 2.1 ms}.
     */
    static String cellLine(CellResult cell, List<CellResult> all) {
        return cell.subject().label() + ": " + Figures.count(cell.violations())
                + (cell.violations() == 1 ? " violation, " : " violations, ") + figures(cell, all);
    }

    /**
     * A cell's throughput beside the references measured at its contention, and its tail, e.g.
     * {@code 1,240 claims/s at 4 threads x 1 key (0.93x raw JDBC, 1.60x ShedLock), p99 2.1 ms}.
     */
    static String figures(CellResult cell, List<CellResult> all) {
        StringBuilder line = new StringBuilder(Figures.rate(cell.claimsPerSecond())).append(" claims/s at ")
                .append(Figures.contention(cell.threads(), cell.keys()));
        List<String> ratios = new ArrayList<>();
        reference(all, cell, Subject.RAW_JDBC).ifPresent(raw -> ratios.add(ratio(cell, raw, "raw JDBC")));
        reference(all, cell, Subject.SHEDLOCK).ifPresent(peer -> ratios.add(ratio(cell, peer, "ShedLock")));
        if (!ratios.isEmpty()) {
            line.append(" (").append(String.join(", ", ratios)).append(')');
        }
        return line.append(", p99 ").append(Figures.latency(cell.p99Micros())).toString();
    }

    private static String ratio(CellResult cell, CellResult reference, String name) {
        return reference.claimsPerSecond() == 0
                ? name + " made no claims"
                : Figures.ratio(cell.claimsPerSecond() / reference.claimsPerSecond()) + " " + name;
    }

    private static Optional<CellResult> reference(List<CellResult> all, CellResult cell, Subject reference) {
        return all.stream()
                .filter(c -> c.subject() == reference && c.threads() == cell.threads() && c.keys() == cell.keys())
                .findFirst();
    }

    private static Optional<String> disqualification(Subject subject, List<CellResult> own) {
        long violations = own.stream().mapToLong(CellResult::violations).sum();
        long errors = own.stream().mapToLong(CellResult::errors).sum();
        if (!subject.isSafe()) {
            return Optional.of("unsafe by design, never for production; " + Figures.count(violations)
                    + (violations == 1 ? " violation" : " violations") + " seen");
        }
        if (violations > 0 && subject.safety() == Subject.Safety.CONDITIONAL) {
            return Optional.of(Figures.count(violations) + (violations == 1 ? " violation" : " violations")
                    + " seen: its documented limit, a pre-create committing after another start's guard of its key,"
                    + " which concurrent begins do not prevent");
        }
        if (violations > 0) {
            return Optional.of(Figures.count(violations) + (violations == 1 ? " violation" : " violations") + " seen");
        }
        if (errors > 0) {
            Set<String> kinds = new LinkedHashSet<>();
            own.forEach(cell -> kinds.addAll(cell.errorKinds().keySet()));
            return Optional.of(Figures.count(errors) + (errors == 1 ? " error" : " errors") + ", first: "
                    + kinds.iterator().next());
        }
        return Optional.empty();
    }

    private static void appendRuledOut(StringBuilder text, List<String> ruledOut) {
        if (!ruledOut.isEmpty()) {
            text.append("\nNever recommended: ").append(String.join("; ", ruledOut)).append('.');
        }
    }

    private static String labels(List<Score> scores, Score except) {
        return String.join(", ", scores.stream().filter(s -> s != except).map(s -> s.subject().label()).toList());
    }

    /** A candidate's geometric means over its cells. */
    private record Score(Subject subject, double claimsPerSecond, double p99Micros) {

        static Score of(Subject subject, List<CellResult> cells) {
            double logRate = 0;
            double logP99 = 0;
            for (CellResult cell : cells) {
                logRate += Math.log(Math.max(cell.claimsPerSecond(), 1e-9));
                logP99 += Math.log(Math.max(cell.p99Micros(), 1));
            }
            return new Score(subject, Math.exp(logRate / cells.size()), Math.exp(logP99 / cells.size()));
        }
    }
}
