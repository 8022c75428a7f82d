package org.pasarela.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void defaultsToEtcAndSipProfilesInTheWorkingDirectory() {
        CommandLine cl = CommandLine.parse();
        assertThat(cl.configDir()).isEqualTo(Path.of("./etc"));
        assertThat(cl.profilesDir()).isEqualTo(Path.of("./sip-profiles"));
        assertThat(cl.overrides()).isEmpty();
        assertThat(cl.help()).isFalse();
    }

    @Test
    void readsDirectoriesInBothSpellings() {
        CommandLine cl = CommandLine.parse("--config", "/opt/pasarela/etc", "--profiles=/srv/profiles");
        assertThat(cl.configDir()).isEqualTo(Path.of("/opt/pasarela/etc"));
        assertThat(cl.profilesDir()).isEqualTo(Path.of("/srv/profiles"));
    }

    @Test
    void keepsOverridesInCommandLineOrderWithTheLastValueWinning() {
        CommandLine cl = CommandLine.parse("--set", "http.port=0", "--set=profile.echo.codecs=PCMA",
                "--set", "http.port=9090", "--set", "users.alice.password=a=b");
        assertThat(cl.overrides()).containsExactly(Map.entry("http.port", "9090"),
                Map.entry("profile.echo.codecs", "PCMA"), Map.entry("users.alice.password", "a=b"));
    }

    @Test
    void allowsEmptyOverrideValue() {
        assertThat(CommandLine.parse("--set", "tls.truststore=").overrides()).containsEntry("tls.truststore", "");
    }

    @Test
    void recognisesHelp() {
        assertThat(CommandLine.parse("--help").help()).isTrue();
        assertThat(CommandLine.parse("-h").help()).isTrue();
    }

    @Test
    void refusesSetWithoutEqualsSign() {
        assertThatThrownBy(() -> CommandLine.parse("--set", "http.port"))
                .isInstanceOf(CommandLineException.class)
                .hasMessage("--set expects key=value, got \"http.port\"");
    }

    @Test
    void refusesSetWithoutKey() {
        assertThatThrownBy(() -> CommandLine.parse("--set", "=8080"))
                .hasMessage("--set expects key=value, got \"=8080\"");
    }

    @Test
    void refusesOptionWithNothingAfterIt() {
        assertThatThrownBy(() -> CommandLine.parse("--set"))
                .hasMessage("--set expects key=value, but nothing follows it");
        assertThatThrownBy(() -> CommandLine.parse("--config"))
                .hasMessage("--config expects a directory, but nothing follows it");
    }

    @Test
    void refusesAnotherOptionWhereAValueBelongs() {
        assertThatThrownBy(() -> CommandLine.parse("--config", "--set", "a=b"))
                .hasMessage("--config expects a directory, got \"--set\"");
    }

    @Test
    void refusesEmptyDirectory() {
        assertThatThrownBy(() -> CommandLine.parse("--profiles="))
                .hasMessage("--profiles expects a directory, got \"\"");
    }

    @Test
    void refusesUnknownArgument() {
        assertThatThrownBy(() -> CommandLine.parse("--confg", "etc"))
                .isInstanceOf(CommandLineException.class)
                .hasMessage("unknown argument \"--confg\"");
        assertThatThrownBy(() -> CommandLine.parse("etc")).hasMessage("unknown argument \"etc\"");
    }

    @Test
    void refusesDirectoryGivenTwice() {
        assertThatThrownBy(() -> CommandLine.parse("--config", "a", "--config", "b"))
                .hasMessage("--config given twice");
    }

    @Test
    void refusesValueForHelp() {
        assertThatThrownBy(() -> CommandLine.parse("--help=yes"))
                .hasMessage("--help takes no value, got \"--help=yes\"");
    }

    @Test
    void usageNamesEveryOption() {
        assertThat(CommandLine.usage()).contains("--config DIR", "--profiles DIR", "--set key=value", "--help",
                "profile.NAME.KEY");
    }
}
