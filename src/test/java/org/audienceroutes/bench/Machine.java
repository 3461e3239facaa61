package org.audienceroutes.bench;

import java.lang.management.ManagementFactory;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Where a run happened: the table means little without the machine next to it. */
record Machine(int processors, long totalMemoryBytes, long maxHeapBytes, String java, String os, String date) {

    static Machine describe() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                os.getTotalMemorySize(),
                Runtime.getRuntime().maxMemory(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    String markdown() {
        return "- Date: " + date + "\n"
                + "- CPUs (nproc): " + processors + "\n"
                + "- RAM: " + Figures.decimal(totalMemoryBytes / (1024.0 * 1024 * 1024), 1) + " GB\n"
                + "- Java: " + java + " (max heap of the benchmark JVM: " + Figures.megabytes(maxHeapBytes) + ")\n"
                + "- OS: " + os + "\n";
    }
}
