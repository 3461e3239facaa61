package org.audienceroutes.bench;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.audienceroutes.testkit.SharedLedgerDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark harness of issue 3 (docs/BENCHMARKS.md): runs the sections against one embedded broker and
 * in-process emulators, prints one table, and writes it to docs/BENCHMARKS.md. A missed target is a FAIL row,
 * not a failed run: this measures, it does not test.
 *
 * <p>{@code mvn -q -Pbench test-compile exec:java [-Dexec.args="1 5"]}: the arguments pick sections by number.
 */
public final class Benchmark {

    private static final List<Section> SECTIONS = List.of(
            new PerEndpointSection(),
            new MixedBacklogSection(false, "2. Mixed backlog"),
            new MixedBacklogSection(true, "3. Mixed backlog, one partition"),
            new SharedBudgetSection(2, "4. Two instances, one budget"),
            new SharedBudgetSection(3, "5. Three instances, one budget"),
            new AdaptiveBudgetSection(),
            new LimitsOffSection(),
            new HeapSection());
    private static final Path DOC = Path.of("docs", "BENCHMARKS.md");

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        List<Section> chosen = choose(args);
        // The emulator runs on the JDK's HttpServer, which writes a response's headers and body as two segments
        // without TCP_NODELAY: Nagle's algorithm then waits for the client's delayed ACK, ~40 ms per request on
        // Linux, and the emulator becomes the bottleneck of every section. Read once, when the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // one line per outcome would bury the table; the harness reports its own progress
        Configurator.setRootLevel(Level.WARN);
        // the ledger's cost as a user pays it: the service's embedded PostgreSQL runs with fsync on
        SharedLedgerDatabase.durableLikeTheService();
        long start = System.nanoTime();
        ResultTable table = new ResultTable();
        try (Lab lab = Lab.start()) {
            for (Section section : chosen) {
                table.addAll(run(section, lab));
            }
        }
        String lastRun = Machine.describe().markdown()
                + "- Harness runtime: " + Figures.seconds(Duration.ofNanos(System.nanoTime() - start).toMillis())
                + ", rate-limit window " + Lab.WINDOW.toSeconds() + " s (Segment's 60 s, scaled)\n\n"
                + table.markdown();
        System.out.println();
        System.out.println(lastRun);
        if (chosen.size() == SECTIONS.size()) {
            BenchmarksDoc.writeLastRun(DOC, lastRun);
            System.out.println("Written to " + DOC.toAbsolutePath());
        } else {
            System.out.println("Only some sections ran: " + DOC + " keeps the last full run.");
        }
    }

    private static List<Row> run(Section section, Lab lab) {
        System.out.println("[bench] " + section.title() + " ...");
        long start = System.nanoTime();
        RowGroup rows = new RowGroup(section.title());
        try {
            section.run(lab, rows);
        } catch (Exception e) {
            e.printStackTrace(System.out);
            rows.failed("section", e);
        }
        System.out.println("[bench] " + section.title() + " took " + Figures.seconds(Duration.ofNanos(System.nanoTime() - start).toMillis()));
        return rows.rows();
    }

    /** No arguments: every section; else the numbers of the sections to run ("1 5" or "1,5"). */
    private static List<Section> choose(String[] args) {
        List<Section> chosen = new ArrayList<>();
        for (String arg : args) {
            for (String number : arg.split("[,\\s]+")) {
                if (number.isBlank()) {
                    continue;
                }
                int index = Integer.parseInt(number.trim()) - 1;
                if (index < 0 || index >= SECTIONS.size()) {
                    throw new IllegalArgumentException("sections are numbered 1 to " + SECTIONS.size() + ", not " + number);
                }
                chosen.add(SECTIONS.get(index));
            }
        }
        return chosen.isEmpty() ? SECTIONS : chosen;
    }
}
