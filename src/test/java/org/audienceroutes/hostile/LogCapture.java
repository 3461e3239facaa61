package org.audienceroutes.hostile;

import org.apache.logging.log4j.LogManager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the service logged while a capture was open: the log4j2 events of {@code log4j2-test.xml}'s events
 * file written since {@link #start()}, and anything printed to System.err directly (an uncaught exception's
 * "Exception in thread ..." and stack trace bypass log4j2).
 */
public final class LogCapture implements AutoCloseable {

    /** Written by log4j2-test.xml's "events" appender; relative to the test's working directory, as there. */
    static final Path EVENTS = Path.of("target", "test-logs", "events.log");
    private static final String NO_THROWABLE = " thrown=[] ";

    private final long eventsOffset;
    private final PrintStream originalErr;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private LogCapture(long eventsOffset) {
        this.eventsOffset = eventsOffset;
        this.originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, err), true, StandardCharsets.UTF_8));
    }

    public static LogCapture start() {
        // log4j2 truncates the file when it starts (append="false"): started first, it cannot cut what we measure
        LogManager.getContext(false);
        if (!Files.isRegularFile(EVENTS)) {
            throw new IllegalStateException(EVENTS.toAbsolutePath() + " is missing: is log4j2-test.xml on the test classpath?");
        }
        try {
            return new LogCapture(Files.size(EVENTS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line per log event since start. */
    public List<String> events() {
        try (InputStream in = Files.newInputStream(EVENTS)) {
            in.skipNBytes(eventsOffset);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> standardError() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    public static boolean hasThrowable(String event) {
        return !event.contains(NO_THROWABLE);
    }

    /** A stack frame, or the JVM's report of an uncaught exception. */
    public static boolean looksLikeAStackTrace(String line) {
        return line.contains("\tat ") || line.contains("Exception in");
    }

    @Override
    public void close() {
        System.setErr(originalErr);
    }

    private static final class Tee extends OutputStream {
        private final OutputStream original;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream original, ByteArrayOutputStream copy) {
            this.original = original;
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            original.write(b);
            synchronized (copy) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            original.write(b, off, len);
            synchronized (copy) {
                copy.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            original.flush();
        }
    }
}
