package org.audienceroutes.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandKeyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theAudienceIdFirst() throws Exception {
        assertThat(CommandKey.of(command("""
                {"commandId":"c1","type":"audience.update","audienceId":"aud_1","audienceName":"VIP"}"""))).isEqualTo("aud_1");
    }

    @Test
    void thenTheAudienceName() throws Exception {
        assertThat(CommandKey.of(command("""
                {"commandId":"c1","type":"audience.forceRun","audienceName":"VIP"}"""))).isEqualTo("VIP");
    }

    @Test
    void aCreateIsKeyedByTheNameOfTheAudienceItCreatesSoThatCommandsByNameFollowIt() throws Exception {
        assertThat(CommandKey.of(command("""
                {"commandId":"c1","type":"audience.create","payload":{"name":"VIP","audienceType":"USERS"}}"""))).isEqualTo("VIP");
        assertThat(CommandKey.of(command("""
                {"commandId":"c2","type":"audience.forceRun","audienceName":"VIP"}"""))).isEqualTo("VIP");
    }

    @Test
    void elseTheCommandIdAndNullWhenNothingIsText() throws Exception {
        assertThat(CommandKey.of(command("""
                {"commandId":"c1","type":"space.list"}"""))).isEqualTo("c1");
        assertThat(CommandKey.of(command("""
                {"commandId":7,"type":"space.list","payload":{"name":"not a create"}}"""))).isNull();
    }

    private static JsonNode command(String json) throws Exception {
        return JSON.readTree(json);
    }
}
