package org.pasarela.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a profile receives calls: the networks its SIP peers send from ({@code inbound.networks}), the numbers it
 * delivers and who they ring ({@code inbound.did.NUMBER}), and the rules that turn the request-URI user into one of
 * those numbers ({@code inbound.rewrite.N.match/replace}, applied like {@code rewrite.N}). Immutable.
 */
public record InboundSettings(List<IpNetwork> networks, Map<String, DidTarget> dids, List<RewriteRule> rewrites) {
    /** A profile that takes no calls from trunks (registered users can still be called through it). */
    public static final InboundSettings NONE = new InboundSettings(List.of(), Map.of(), List.of());

    public InboundSettings {
        networks = List.copyOf(networks);
        dids = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(dids, "dids")));
        rewrites = List.copyOf(rewrites);
    }

    /** Whether {@code address} (an IP literal) is in one of {@link #networks}. */
    public boolean trusts(String address) {
        return networks.stream().anyMatch(n -> n.contains(address));
    }
}
