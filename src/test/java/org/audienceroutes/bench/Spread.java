package org.audienceroutes.bench;

import java.util.List;

/** Repeated measurements of one figure: reported as the median, with the lowest and highest beside it. */
record Spread(double median, double min, double max) {

    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no measurement to summarise");
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        double median = sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        return new Spread(median, sorted.get(0), sorted.get(sorted.size() - 1));
    }

    /** "1141 (1020–1190)" for decimals = 0. */
    String text(int decimals) {
        return Figures.decimal(median, decimals) + " (" + Figures.decimal(min, decimals) + "–" + Figures.decimal(max, decimals) + ")";
    }
}
