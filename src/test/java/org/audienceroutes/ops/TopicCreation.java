package org.audienceroutes.ops;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One {@code kafka-topics.sh --create} line of the compose file's create-topics script. */
record TopicCreation(String topic, int partitions, Map<String, String> configs) {

    private static final Pattern TOPIC = Pattern.compile("--topic\\s+(\\S+)");
    private static final Pattern PARTITIONS = Pattern.compile("--partitions\\s+(\\d+)");
    private static final Pattern CONFIG = Pattern.compile("--config\\s+([^=\\s]+)=(\\S+)");

    /** The script's lines that name a topic; comments are no lines of it. */
    static List<TopicCreation> in(String script) {
        return script.lines()
                .filter(line -> !line.strip().startsWith("#"))
                .filter(line -> TOPIC.matcher(line).find())
                .map(TopicCreation::parse)
                .toList();
    }

    private static TopicCreation parse(String line) {
        Matcher topic = TOPIC.matcher(line);
        Matcher partitions = PARTITIONS.matcher(line);
        if (!topic.find() || !partitions.find()) {
            throw new IllegalArgumentException("not a topic with its partitions: " + line);
        }
        Map<String, String> configs = CONFIG.matcher(line).results()
                .collect(Collectors.toMap(config -> config.group(1), config -> config.group(2)));
        return new TopicCreation(topic.group(1), Integer.parseInt(partitions.group(1)), configs);
    }
}
