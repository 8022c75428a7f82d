package org.pasarela.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationRuntimeException;
import org.pasarela.config.PropertySet.Entry;
import org.pasarela.config.PropertySet.Origin;

/**
 * Reads {@code CONFIG_DIR/pasarela.properties}, every {@code PROFILES_DIR/NAME.properties} and the command line's
 * {@code --set key=value} overrides (which win) into a validated {@link LoadedConfig}. A missing file or directory
 * means "all defaults" / "no profiles". The only class that touches Apache Commons Configuration (its properties
 * syntax: {@code key = value}, {@code #} comments, backslash line continuation; no includes, no interpolation).
 * Called once at start-up; a {@link ConfigException} stops the gateway.
 */
public final class ConfigLoader {
    public static final String GATEWAY_FILE = "pasarela.properties";
    public static final String PROFILE_SUFFIX = ".properties";
    public static final String ECHO_PROFILE = "echo";
    private static final Pattern PROFILE_KEY = Pattern.compile("profile\\.([^.]*)\\.(.+)");
    private static final String ECHO_CODECS = "PCMU,PCMA,G722,telephone-event";

    private ConfigLoader() {
    }

    /**
     * Loads the configuration. {@code overrides} are {@code --set} pairs in command-line order: gateway keys, or
     * {@code profile.NAME.KEY} for a profile's key, which may define a new profile outright when it sets
     * {@code proxy}.
     */
    public static LoadedConfig load(Path configDir, Path profilesDir, Map<String, String> overrides) {
        Path gatewayFile = configDir.resolve(GATEWAY_FILE);
        PropertySet gatewaySet = new PropertySet(gatewayFile.normalize().toString());
        Map<String, PropertySet> profileOverrides = new LinkedHashMap<>();
        for (Entry e : readIfPresent(gatewayFile)) {
            Matcher m = PROFILE_KEY.matcher(e.key());
            if (m.matches()) {
                throw new ConfigException(e.where() + ": profile keys belong in " + profilesDir.resolve(m.group(1)
                        + PROFILE_SUFFIX).normalize() + " as '" + m.group(2) + "' (or on the command line as --set "
                        + e.key() + "=...)");
            }
            gatewaySet.put(e.key(), e);
        }
        overrides.forEach((rawKey, value) -> {
            String key = rawKey.strip();
            Entry e = new Entry(key, value, Origin.COMMAND_LINE);
            Matcher m = PROFILE_KEY.matcher(key);
            if (!m.matches()) {
                gatewaySet.put(key, e);
                return;
            }
            String name = m.group(1);
            if (!SipProfile.NAME.matcher(name).matches()) {
                throw new ConfigException("--set " + key + ": profile name '" + name + "' must match "
                        + SipProfile.NAME.pattern());
            }
            profileOverrides.computeIfAbsent(name, n -> new PropertySet("--set profile." + n)).put(m.group(2), e);
        });
        GatewayConfig gateway = GatewayConfigReader.read(gatewaySet);
        requireExistingFile(gatewaySet, "tls.certificate", gateway.tlsCertificate());
        requireExistingFile(gatewaySet, "tls.key", gateway.tlsKey());
        requireExistingFile(gatewaySet, "tls.truststore", gateway.tlsTruststore());
        SecurityConfig security = SecurityConfigReader.read(gatewaySet);
        requireExistingFile(gatewaySet, "auth.jwt.public-key", security.jwtPublicKey(), "a PEM public key file");
        requireExistingFile(gatewaySet, "auth.jwt.hs256-secret-file", security.jwtHs256SecretFile(),
                "a file holding the shared secret");
        requireExistingFile(gatewaySet, "turn.secret-file", security.turn().secretFile(),
                "a file holding the TURN shared secret");

        Map<String, PropertySet> profileSets = new TreeMap<>();
        for (Path file : profileFiles(profilesDir)) {
            String fileName = file.getFileName().toString();
            String name = fileName.substring(0, fileName.length() - PROFILE_SUFFIX.length());
            if (!SipProfile.NAME.matcher(name).matches()) {
                throw new ConfigException(file.normalize() + ": profile name '" + name + "' (the file name) must match "
                        + SipProfile.NAME.pattern());
            }
            PropertySet set = new PropertySet(file.normalize().toString());
            readIfPresent(file).forEach(e -> set.put(e.key(), e));
            profileSets.put(name, set);
        }
        if (gateway.echoEnabled() && !profileSets.containsKey(ECHO_PROFILE)) {
            profileSets.put(ECHO_PROFILE, builtInEcho(gateway));
        }
        profileOverrides.forEach((name, set) -> {
            PropertySet target = profileSets.computeIfAbsent(name, n -> new PropertySet(set.home()));
            set.keys().forEach(k -> target.put(k, set.entry(k).orElseThrow()));
        });

        Map<String, SipProfile> profiles = new TreeMap<>();
        profileSets.forEach((name, set) -> {
            SipProfile profile = SipProfileReader.read(name, set);
            if (profile.enabled() && !gateway.sipTransports().contains(profile.transport())) {
                throw set.bad(set.has("transport") ? "transport" : "proxy", "needs " + profile.transport()
                        + ", but the gateway listens only on sip.transports = " + gateway.sipTransports().stream()
                        .map(Transport::lowerCase).collect(Collectors.joining(",")));
            }
            profile.inbound().dids().forEach((number, target) -> {
                if (target instanceof DidTarget.Group group && !gateway.groups().containsKey(group.name())) {
                    throw set.bad("inbound.did." + number, "expected a group defined in " + gatewaySet.home()
                            + " as groups." + group.name() + ".members = alice,bob; there is none");
                }
            });
            profiles.put(name, profile);
        });
        checkDefaultProfile(gatewaySet, gateway, profiles);
        Optional<String> echo = Optional.ofNullable(profiles.get(ECHO_PROFILE))
                .filter(profile -> gateway.echoEnabled() && isEchoService(profile, gateway)).map(SipProfile::name);
        return new LoadedConfig(gateway, profiles, security, CallRulesReader.read(gatewaySet, profiles.keySet(), echo));
    }

    /** Whether a profile leads to the built-in echo service (and so to no trunk), whatever file or --set made it. */
    private static boolean isEchoService(SipProfile profile, GatewayConfig gateway) {
        String host = profile.proxy().host();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.equalsIgnoreCase(gateway.echoAddress())
                && profile.proxy().port().orElse(-1) == gateway.echoPort();
    }

    /** The built-in echo profile, as if read from a file, so {@code --set profile.echo.*} can adjust it. */
    private static PropertySet builtInEcho(GatewayConfig gateway) {
        PropertySet set = new PropertySet("built-in echo profile");
        Origin origin = Origin.builtIn("built-in echo profile");
        String host = gateway.echoAddress().indexOf(':') >= 0 ? "[" + gateway.echoAddress() + "]"
                : gateway.echoAddress();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("proxy", "sip:echo@" + host + ":" + gateway.echoPort());
        values.put("transport", "UDP");
        values.put("codecs", ECHO_CODECS);
        values.put("dtmf", "rfc4733");
        values.put("allow.sip-uris", "false");
        values.forEach((k, v) -> set.put(k, new Entry(k, v, origin)));
        return set;
    }

    private static void checkDefaultProfile(PropertySet gatewaySet, GatewayConfig gateway,
                                            Map<String, SipProfile> profiles) {
        String name = gateway.defaultProfile();
        if (!gatewaySet.has("profile.default")) {
            // The implied default is the echo service; without it, calls simply have to name their profile.
            return;
        }
        SipProfile profile = profiles.get(name);
        if (profile == null) {
            String known = profiles.isEmpty() ? "there are none" : "known: " + String.join(", ", profiles.keySet());
            String why = name.equals(ECHO_PROFILE) && !gateway.echoEnabled() ? " (echo.enabled = false)" : "";
            throw gatewaySet.bad("profile.default", "expected the name of an existing profile; '" + name
                    + "' does not exist" + why + "; " + known);
        }
        if (!profile.enabled()) {
            throw gatewaySet.bad("profile.default", "expected an enabled profile; '" + name + "' has enabled = false");
        }
    }

    private static void requireExistingFile(PropertySet set, String key, Optional<Path> path) {
        requireExistingFile(set, key, path, "a PEM file");
    }

    private static void requireExistingFile(PropertySet set, String key, Optional<Path> path, String what) {
        if (path.isPresent() && !Files.isRegularFile(path.get())) {
            throw set.bad(key, "expected " + what + "; " + path.get().toAbsolutePath().normalize()
                    + " does not exist (relative paths are resolved against the working directory)");
        }
    }

    private static List<Path> profileFiles(Path profilesDir) {
        if (!Files.exists(profilesDir)) {
            return List.of();
        }
        if (!Files.isDirectory(profilesDir)) {
            throw new ConfigException(profilesDir.normalize() + ": expected a directory of NAME.properties files");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(profilesDir, "*" + PROFILE_SUFFIX)) {
            dir.forEach(files::add);
        } catch (IOException e) {
            throw new ConfigException(profilesDir.normalize() + ": cannot list the directory: " + e, e);
        }
        files.sort(null);
        return files;
    }

    /** The file's entries in order; none if it does not exist. A key given twice is an error, not "last wins". */
    private static List<Entry> readIfPresent(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        String where = file.normalize().toString();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(where + ": expected a properties file");
        }
        Origin origin = Origin.file(file);
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             PropertiesConfiguration.PropertiesReader reader = new PropertiesConfiguration.PropertiesReader(in)) {
            while (nextProperty(reader, where)) {
                String key = reader.getPropertyName().strip();
                Entry e = new Entry(key, reader.getPropertyValue(), origin);
                if (entries.put(key, e) != null) {
                    throw new ConfigException(where + ": " + key + " is set twice (again on line "
                            + reader.getLineNumber() + "); keep one");
                }
            }
        } catch (CharacterCodingException e) {
            throw new ConfigException(where + ": expected UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read: " + e, e);
        }
        return new ArrayList<>(entries.values());
    }

    private static boolean nextProperty(PropertiesConfiguration.PropertiesReader reader, String where)
            throws IOException {
        try {
            return reader.nextProperty();
        } catch (ConfigurationRuntimeException | IllegalArgumentException e) { // e.g. a malformed unicode escape
            throw new ConfigException(where + ": line " + reader.getLineNumber() + ": " + e.getMessage(), e);
        }
    }
}
