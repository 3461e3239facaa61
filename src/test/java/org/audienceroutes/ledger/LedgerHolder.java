package org.audienceroutes.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A service run in a JVM of its own: it opens the embedded ledger on a data directory, claims one command, notes
 * it sent, and holds the database open until it is killed, as a crashed instance would leave it.
 */
final class LedgerHolder implements AutoCloseable {

    static final String READY = "ledger-holder-ready";

    private final Process process;
    private final Path dataDirectory;

    private LedgerHolder(Process process, Path dataDirectory) {
        this.process = process;
        this.dataDirectory = dataDirectory;
    }

    public static void main(String[] args) throws IOException {
        LedgerDatabase database = LedgerDatabase.embedded(Path.of(args[0]), 0);
        CommandLedger ledger = new CommandLedger(database.dataSource(), Clock.systemUTC());
        ledger.claim(args[1], args[2], "space.list");
        // as the pipeline does before any request: a flushed note, which puts the (deferred) claim on disk too
        ledger.markSent(args[1]);
        System.out.println(READY);
        // Blocks until killed, or until the test JVM that holds the other end of stdin is gone.
        System.in.read();
    }

    /** Returns once the other JVM has claimed the command. */
    static LedgerHolder start(Path dataDirectory, String commandId, String fingerprint, Path output) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                // the service's console-only logging: log4j2-test.xml would truncate the events file this JVM reads
                "-Dlog4j2.configurationFile=log4j2.xml",
                LedgerHolder.class.getName(),
                dataDirectory.toString(), commandId, fingerprint);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        LedgerHolder holder = new LedgerHolder(process, dataDirectory);
        try {
            await().atMost(Duration.ofSeconds(90))
                    .failFast("the ledger holder exited", () -> !process.isAlive())
                    .until(() -> Files.readString(output).contains(READY));
            return holder;
        } catch (RuntimeException e) {
            holder.close();
            throw new IllegalStateException("Ledger holder did not get ready; its output: " + Files.readString(output), e);
        }
    }

    /** The PostgreSQL server it started, from the data directory's postmaster.pid. */
    ProcessHandle postmaster() throws IOException {
        long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        return ProcessHandle.of(pid).orElseThrow();
    }

    /** SIGKILL: no shutdown hook runs, so its PostgreSQL server is left running. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Ledger holder pid " + process.pid() + " survived SIGKILL");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
