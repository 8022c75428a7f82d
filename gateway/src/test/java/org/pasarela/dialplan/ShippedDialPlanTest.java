package org.pasarela.dialplan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pasarela.config.ConfigLoader;
import org.pasarela.config.LoadedConfig;

/** The dial plans in the shipped sample profiles do what their comments say. */
class ShippedDialPlanTest {
    private static final LoadedConfig SHIPPED =
            ConfigLoader.load(Path.of("../etc"), Path.of("../sip-profiles"), Map.of());

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pstn-trunk | +34 93 123 45 67 | sips:+34931234567@trunk.example.net",
            "pstn-trunk | 0033 1 23 45 67 89 | sips:+33123456789@trunk.example.net",
            "pstn-trunk | 612 345 678 | sips:+34612345678@trunk.example.net",
            "pstn-trunk | 112 | sips:112@trunk.example.net",
            "guifi-community | 1234 | sip:1234@voip.guifi.example",
            "guifi-community | sip:alice@node.guifi.example | sip:alice@node.guifi.example",
            "local-ata | 555 0100 | sip:1000@192.168.1.50:5060",
            "echo | echo | sip:echo@127.0.0.1:5098",
    })
    void sampleProfilesRouteDialledNumbersAsDocumented(String profile, String dialled, String requestUri) {
        assertThat(DestinationResolver.resolve(dialled, SHIPPED.profiles().get(profile))).hasToString(requestUri);
    }
}
