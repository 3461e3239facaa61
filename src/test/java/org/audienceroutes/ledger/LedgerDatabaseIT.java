package org.audienceroutes.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.audienceroutes.hostile.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The database's life: a real embedded PostgreSQL kept across restarts and crashes, or an external one. */
class LedgerDatabaseIT {

    /** A server for the tests that only need one running: each fresh data directory costs an initdb. */
    @TempDir
    static Path sharedDataDirectory;
    private static LedgerDatabase shared;

    @TempDir
    Path dataDirectory;
    @TempDir
    Path scratch;

    /** Servers a failed test could leave behind; each one was started by this test on its own directory. */
    private final List<ProcessHandle> postmasters = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startSharedServer() {
        shared = LedgerDatabase.embedded(sharedDataDirectory, 0);
    }

    @AfterAll
    static void stopSharedServer() {
        shared.close();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable resource : opened) {
            resource.close();
        }
        postmasters.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void theEmbeddedServerIsDurableAndListensOnLoopbackOnly() throws SQLException {
        assertThat(setting(shared.dataSource(), "fsync")).isEqualTo("on");
        assertThat(setting(shared.dataSource(), "synchronous_commit")).isEqualTo("on");
        assertThat(setting(shared.dataSource(), "listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(shared.answers()).isTrue();
    }

    @Test
    void rowsSurviveARestartOnTheSameDataDirectory() {
        try (LedgerDatabase first = LedgerDatabase.embedded(dataDirectory, 0)) {
            ledger(first).claim("kept-1", "fp-kept", "space.list");
        }

        try (LedgerDatabase second = LedgerDatabase.embedded(dataDirectory, 0)) {
            assertThat(ledger(second).claim("kept-1", "fp-other", "space.list"))
                    .returns(false, LedgerEntry::newlyClaimed)
                    .returns("fp-kept", LedgerEntry::fingerprint);
        }
    }

    @Test
    void aServerLeftRunningByAKilledRunIsStoppedAndItsDataKept() throws Exception {
        ProcessHandle leftover = serverOfAKilledRun("crash-1", "fp-crash");
        assertThat(leftover.isAlive()).as("PostgreSQL outlives its killed JVM").isTrue();

        try (LogCapture logs = LogCapture.start()) {
            LedgerDatabase database = open(LedgerDatabase.embedded(dataDirectory, 0));

            assertThat(ledger(database).claim("crash-1", "fp-other", "space.list"))
                    .returns(false, LedgerEntry::newlyClaimed)
                    .returns("fp-crash", LedgerEntry::fingerprint);
            await().atMost(Duration.ofSeconds(10)).until(() -> !leftover.isAlive());
            assertThat(logs.events()).filteredOn(event -> event.contains("was still running"))
                    .singleElement().asString().startsWith("INFO").contains("pid " + leftover.pid()).contains("SIGTERM");
        }
    }

    @Test
    void aLeftoverServerThatDoesNotStopOnSigtermIsKilled() throws Exception {
        ProcessHandle leftover = serverOfAKilledRun("stuck-1", "fp-stuck");
        String leftoverUrl = "jdbc:postgresql://127.0.0.1:" + pidFileLine(3) + "/postgres";

        // SIGTERM asks for PostgreSQL's smart shutdown, which waits for open sessions to end
        try (Connection openSession = DriverManager.getConnection(leftoverUrl, "postgres", "");
             LogCapture logs = LogCapture.start()) {
            LedgerDatabase database = open(LedgerDatabase.embedded(dataDirectory, 0));

            assertThat(ledger(database).claim("stuck-1", "fp-other", "space.list").fingerprint()).isEqualTo("fp-stuck");
            await().atMost(Duration.ofSeconds(10)).until(() -> !leftover.isAlive());
            assertThat(logs.events()).filteredOn(event -> event.contains("was still running"))
                    .singleElement().asString().contains("pid " + leftover.pid()).contains("killed it");
        }
    }

    @Test
    void aPidFileOfAServerThatDiedWithItsMachineIsReplaced() throws Exception {
        ProcessHandle dead = serverOfAKilledRun("power-cut-1", "fp-power");
        // every server process gone at once, as in a power cut
        List<ProcessHandle> serverProcesses = Stream.concat(Stream.of(dead), dead.descendants()).toList();
        serverProcesses.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(30)).until(() -> serverProcesses.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(pidFileLine(0)).isEqualTo(Long.toString(dead.pid()));

        try (LogCapture logs = LogCapture.start()) {
            LedgerDatabase database = open(LedgerDatabase.embedded(dataDirectory, 0));

            assertThat(ledger(database).claim("power-cut-1", "fp-other", "space.list").fingerprint()).isEqualTo("fp-power");
            assertThat(logs.events()).filteredOn(event -> event.contains("which is not running"))
                    .singleElement().asString().startsWith("INFO").contains("pid " + dead.pid());
        }
    }

    @Test
    void aPidFileNamingAnotherProgramIsRemovedAndTheProgramLeftAlone() throws Exception {
        try (LedgerDatabase first = LedgerDatabase.embedded(dataDirectory, 0)) {
            ledger(first).claim("reused-pid-1", "fp-reused", "space.list");
        }
        Process otherProgram = new ProcessBuilder("sleep", "120").start();
        opened.add(otherProgram::destroyForcibly);
        Files.writeString(dataDirectory.resolve("postmaster.pid"),
                otherProgram.pid() + "\n" + dataDirectory + "\n1764670000\n5432\n/tmp\n127.0.0.1\n", StandardCharsets.UTF_8);

        try (LogCapture logs = LogCapture.start()) {
            LedgerDatabase database = open(LedgerDatabase.embedded(dataDirectory, 0));

            assertThat(ledger(database).claim("reused-pid-1", "fp-other", "space.list").fingerprint()).isEqualTo("fp-reused");
            assertThat(otherProgram.isAlive()).isTrue();
            assertThat(logs.events()).filteredOn(event -> event.contains("not this directory's PostgreSQL any more"))
                    .singleElement().asString().startsWith("INFO").contains("pid " + otherProgram.pid());
        }
    }

    @Test
    void aDataDirectoryInUseByARunningServiceIsRefusedAndItsServerLeftAlone() {
        assertThatThrownBy(() -> LedgerDatabase.embedded(sharedDataDirectory, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
        assertThat(shared.answers()).isTrue();
    }

    @Test
    void anExternalDatabaseWithOtherTablesIsMigratedAndThePasswordNotLogged() throws SQLException {
        execute(shared.dataSource(), "CREATE DATABASE shared_elsewhere");
        String url = sharedServerUrl("shared_elsewhere");
        try (LedgerDatabase other = LedgerDatabase.connect(url, "postgres", "")) {
            execute(other.dataSource(), "CREATE TABLE someone_elses (id int)");
        }

        try (LogCapture logs = LogCapture.start()) {
            String password = "ledger-pw-never-in-logs";
            LedgerDatabase external = open(LedgerDatabase.connect(url, "postgres", password));

            assertThat(ledger(external).claim("external-1", "fp", "space.list").newlyClaimed()).isTrue();
            assertThat(logs.events()).isNotEmpty().noneMatch(event -> event.contains(password));
        }
    }

    @Test
    void aClosedDatabaseDoesNotAnswer() throws SQLException {
        LedgerDatabase database = LedgerDatabase.connect(sharedServerUrl("postgres"), "postgres", "");
        database.close();

        assertThat(database.answers()).isFalse();
    }

    private static String sharedServerUrl(String database) throws SQLException {
        return "jdbc:postgresql://127.0.0.1:" + setting(shared.dataSource(), "port") + "/" + database;
    }

    private LedgerDatabase open(LedgerDatabase database) {
        opened.add(0, database);
        return database;
    }

    private ProcessHandle track(ProcessHandle postmaster) {
        postmasters.add(postmaster);
        return postmaster;
    }

    /** Its PostgreSQL server, left running after a SIGKILL of its JVM. */
    private ProcessHandle serverOfAKilledRun(String commandId, String fingerprint) throws Exception {
        try (LedgerHolder holder = LedgerHolder.start(dataDirectory, commandId, fingerprint, scratch.resolve("holder.log"))) {
            ProcessHandle postmaster = track(holder.postmaster());
            holder.kill();
            return postmaster;
        }
    }

    /** Line 0 is the server's pid, line 3 its port. */
    private String pidFileLine(int index) throws IOException {
        return Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(index).trim();
    }

    private static CommandLedger ledger(LedgerDatabase database) {
        return new CommandLedger(database.dataSource(), Clock.systemUTC());
    }

    private static String setting(DataSource dataSource, String name) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            result.next();
            return result.getString(1);
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
