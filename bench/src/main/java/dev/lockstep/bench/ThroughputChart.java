package dev.lockstep.bench;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * A grouped bar chart of claims/s: one group per threads x keys, one bar per subject, the unsafe
 * naive guard named as such in the legend. A missing cell is drawn as a zero-height bar.
 */
final class ThroughputChart {

    private ThroughputChart() {}

    static void write(BenchmarkResult result, Path png) throws IOException {
        Set<String> groups = new LinkedHashSet<>();
        Map<Subject, Map<String, Double>> series = new LinkedHashMap<>();
        for (CellResult cell : result.cells()) {
            String group = Figures.contention(cell.threads(), cell.keys());
            groups.add(group);
            series.computeIfAbsent(cell.subject(), s -> new LinkedHashMap<>()).put(group, cell.claimsPerSecond());
        }
        CategoryChart chart = new CategoryChartBuilder()
                .width(Math.max(900, 120 * groups.size() * Math.max(1, series.size()) / 3))
                .height(560)
                .title("Claims per second, " + result.database() + " (higher is better)")
                .xAxisTitle("threads x keys")
                .yAxisTitle("claims/s")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartTitleVisible(true);
        chart.getStyler().setLabelsVisible(false);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        List<String> categories = new ArrayList<>(groups);
        chart.getStyler().setSeriesColors(series.keySet().stream().map(ThroughputChart::color).toArray(Color[]::new));
        series.forEach((subject, values) -> {
            List<Double> heights = new ArrayList<>();
            for (String group : categories) {
                heights.add(values.getOrDefault(group, 0.0));
            }
            chart.addSeries(name(subject), categories, heights);
        });
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** The strategies in distinct colours, the unsafe one in red, the references in greys. */
    private static Color color(Subject subject) {
        return switch (subject) {
            case NAIVE_GUARD -> new Color(0xD6, 0x27, 0x28);
            case PENDING_GUARD -> new Color(0xFF, 0x9F, 0x1C);
            case RUNNING_AT_CREATION -> new Color(0x1F, 0x77, 0xB4);
            case ADVISORY_LOCK -> new Color(0x2C, 0xA0, 0x2C);
            case LEASE -> new Color(0x94, 0x67, 0xBD);
            case RAW_JDBC -> new Color(0x44, 0x44, 0x44);
            case SHEDLOCK -> new Color(0xA0, 0xA0, 0xA0);
        };
    }

    private static String name(Subject subject) {
        return switch (subject.safety()) {
            case UNSAFE -> subject.label() + " (UNSAFE)";
            case CONDITIONAL -> subject.label() + " (conditional)";
            case SAFE -> subject.isReference() ? subject.label() + " (reference)" : subject.label();
        };
    }
}
