package org.pasarela.dialplan;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.pasarela.config.DidTarget;
import org.pasarela.config.IpNetwork;
import org.pasarela.config.SipProfile;
import org.pasarela.dialplan.InboundRoute.Refuse;
import org.pasarela.dialplan.InboundRoute.ToGroup;
import org.pasarela.dialplan.InboundRoute.ToUser;

/**
 * Decides who an incoming INVITE rings (docs/configuration.md, "Incoming calls"). Three rules, in order:
 * <ol>
 *   <li>A request URI with {@code pasarela-user} and {@code pasarela-profile} (a registration's Contact, see
 *       {@code SipRegistration}) rings that user when the profile exists, is enabled, registers users, and the
 *       source is one of its trusted sources: its proxy's resolved addresses or its {@code inbound.networks}.</li>
 *   <li>A source inside a profile's {@code inbound.networks} is routed by the called number (the request URI's
 *       user after the profile's {@code inbound.rewrite} rules) through the profile's {@code inbound.did} map;
 *       a number not in it gets 404.</li>
 *   <li>Anything else gets 403, with one reason text whatever the request named, so that nobody outside learns
 *       which users, profiles or numbers exist.</li>
 * </ol>
 * Pure and immutable: the proxies' resolved addresses are an argument, resolved by the SIP edge.
 */
public final class InboundRouter {
    public static final String USER_PARAM = "pasarela-user";
    public static final String PROFILE_PARAM = "pasarela-profile";
    static final int FORBIDDEN = 403;
    static final String FORBIDDEN_REASON = "Forbidden";
    static final int NOT_FOUND = 404;
    static final String NOT_FOUND_REASON = "Not Found";

    private final Map<String, SipProfile> profiles;
    private final Map<String, List<String>> groups;

    /**
     * @param profiles every profile by name (disabled ones are never routed to)
     * @param groups   {@code groups.NAME.members}: group name to members in ring order
     */
    public InboundRouter(Collection<SipProfile> profiles, Map<String, List<String>> groups) {
        Map<String, SipProfile> byName = new TreeMap<>();
        profiles.forEach(p -> byName.put(p.name(), p));
        this.profiles = byName;
        this.groups = Map.copyOf(groups);
    }

    /**
     * The enabled profiles that register users: those whose proxy's addresses rule (1) needs, which the SIP edge
     * resolves and passes to {@link #route}.
     */
    public List<SipProfile> registeringProfiles() {
        return profiles.values().stream().filter(p -> p.enabled() && p.registration().isPresent()).toList();
    }

    /**
     * Routes {@code invite}.
     *
     * @param proxyAddresses each profile's proxy as last resolved, by profile name (IP literals); a profile
     *                       missing here trusts only its {@code inbound.networks}
     */
    public InboundRoute route(InboundInvite invite, Map<String, Set<String>> proxyAddresses) {
        Objects.requireNonNull(invite, "invite");
        String source = invite.sourceAddress();
        String webUser = invite.requestUriParam(USER_PARAM);
        String profileName = invite.requestUriParam(PROFILE_PARAM);
        String registrationProblem = "no " + USER_PARAM + "/" + PROFILE_PARAM + " in the request URI";
        if (webUser != null && profileName != null) {
            SipProfile profile = profiles.get(profileName);
            registrationProblem = registrationProblem(profile, profileName, webUser, source, proxyAddresses);
            if (registrationProblem == null) {
                return new ToUser(webUser, profile);
            }
        }
        boolean trustedTrunk = false;
        for (SipProfile profile : profiles.values()) {
            if (!profile.enabled() || !profile.inbound().trusts(source)) {
                continue;
            }
            trustedTrunk = true;
            String number = calledNumber(invite, profile);
            DidTarget target = number == null ? null : profile.inbound().dids().get(number);
            if (target instanceof DidTarget.User user) {
                return new ToUser(user.name(), profile);
            }
            if (target instanceof DidTarget.Group group) {
                List<String> members = groups.get(group.name());
                if (members == null || members.isEmpty()) {
                    // ConfigLoader refuses such a DID; a router built from other config must not ring nobody.
                    throw new IllegalStateException("profile " + profile.name() + ": DID " + number
                            + " names group " + group.name() + ", which has no members");
                }
                return new ToGroup(group.name(), members, profile);
            }
        }
        if (trustedTrunk) {
            return new Refuse(NOT_FOUND, NOT_FOUND_REASON, "no profile trusting " + source + " has a DID for '"
                    + invite.requestUser() + "'");
        }
        return new Refuse(FORBIDDEN, FORBIDDEN_REASON, "no profile trusts " + source + " (" + registrationProblem
                + ")");
    }

    /** Why rule (1) does not apply, or null when it does. */
    private static String registrationProblem(SipProfile profile, String profileName, String webUser, String source,
                                              Map<String, Set<String>> proxyAddresses) {
        if (profile == null) {
            return "profile '" + profileName + "' does not exist";
        }
        if (!profile.enabled()) {
            return "profile '" + profileName + "' is disabled";
        }
        if (profile.registration().isEmpty()) {
            return "profile '" + profileName + "' does not register users";
        }
        if (webUser.isEmpty()) {
            return "empty " + USER_PARAM;
        }
        boolean fromProxy = proxyAddresses.getOrDefault(profileName, Set.of()).stream()
                .anyMatch(address -> IpNetwork.sameAddress(address, source));
        if (!fromProxy && !profile.inbound().trusts(source)) {
            return "source is not profile '" + profileName + "''s proxy nor in its inbound.networks";
        }
        return null;
    }

    /** The request URI's user, normalised and rewritten by the profile's inbound rules; null without a user. */
    private static String calledNumber(InboundInvite invite, SipProfile profile) {
        String user = invite.requestUser();
        if (user == null || user.isBlank()) {
            return null;
        }
        return new NumberRewriter(profile.inbound().rewrites()).rewrite(user);
    }
}
