package org.audienceroutes.throttle;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Counts the live instances of the commands consumer group from Kafka's own group membership, so that
 * instances sharing a token split each endpoint's budget without a protocol of their own. Each instance is one
 * member (one Kafka consumer, see keyed-kafka).
 */
public class GroupMembership extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GroupMembership.class);

    private final String bootstrapServers;
    private final String groupId;
    private final SegmentPace pace;
    private Admin admin;

    public GroupMembership(String bootstrapServers, String groupId, SegmentPace pace) {
        this.bootstrapServers = bootstrapServers;
        this.groupId = groupId;
        this.pace = pace;
    }

    public void refresh() throws Exception {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        }
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                .get(groupId).get(10, TimeUnit.SECONDS);
        int members = group.members().size();
        int instances = Math.max(1, members);
        if (instances != pace.instances()) {
            LOG.info("consumer group {} has {} members: {} instance(s) share each Segment endpoint's budget", groupId, members, instances);
            pace.instances(instances);
        }
    }

    @Override
    protected void doStop() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
