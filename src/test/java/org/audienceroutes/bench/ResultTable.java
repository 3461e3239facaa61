package org.audienceroutes.bench;

import java.util.ArrayList;
import java.util.List;

/** The one table the harness prints, as Markdown, so that the same text goes to the console and to docs/BENCHMARKS.md. */
final class ResultTable {

    private static final List<String> HEADINGS = List.of("Section", "Metric", "Ours", "Baseline / ideal / configured", "Ratio", "Target", "Pass?");

    private final List<Row> rows = new ArrayList<>();

    void addAll(List<Row> section) {
        rows.addAll(section);
    }

    String markdown() {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADINGS);
        String previousSection = null;
        for (Row row : rows) {
            // the section is named once, on its first row
            String section = row.section().equals(previousSection) ? "" : row.section();
            previousSection = row.section();
            cells.add(List.of(section, row.metric(), row.ours(), row.reference(), row.ratio(), row.target(), row.verdict()));
        }
        int[] widths = new int[HEADINGS.size()];
        for (List<String> line : cells) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], line.get(column).length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            appendLine(table, cells.get(i), widths);
            if (i == 0) {
                appendRule(table, widths);
            }
        }
        return table.toString();
    }

    private static void appendLine(StringBuilder table, List<String> line, int[] widths) {
        table.append('|');
        for (int column = 0; column < widths.length; column++) {
            table.append(' ').append(pad(line.get(column), widths[column])).append(" |");
        }
        table.append('\n');
    }

    private static void appendRule(StringBuilder table, int[] widths) {
        table.append('|');
        for (int width : widths) {
            table.append('-').append("-".repeat(width)).append("-|");
        }
        table.append('\n');
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
