package org.pasarela.transport.sip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** One SRV answer, "priority weight port target." (RFC 2782). The target has no trailing dot; "." is kept. */
record SrvRecord(int priority, int weight, int port, String target) {
    /** RFC 2782: a lone target of "." means the service is decidedly not available at this domain. */
    static final String NOT_OFFERED = ".";

    SrvRecord {
        if (priority < 0 || priority > 65535 || weight < 0 || weight > 65535 || port < 0 || port > 65535) {
            throw new IllegalArgumentException("SRV priority, weight and port must be 0-65535, got " + priority
                    + " " + weight + " " + port);
        }
    }

    /** Parses the text form JNDI and dig give: {@code "10 60 5060 sip1.example.net."}. */
    static SrvRecord parse(String text) throws DnsException {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 4) {
            throw new DnsException("SRV record '" + text + "': expected 'priority weight port target'");
        }
        int priority = number(text, "priority", parts[0]);
        int weight = number(text, "weight", parts[1]);
        int port = number(text, "port", parts[2]);
        String target = parts[3].toLowerCase(Locale.ROOT);
        if (!target.equals(NOT_OFFERED) && target.endsWith(".")) {
            target = target.substring(0, target.length() - 1);
        }
        if (target.isEmpty()) {
            throw new DnsException("SRV record '" + text + "': empty target");
        }
        if (port == 0 && !target.equals(NOT_OFFERED)) {
            throw new DnsException("SRV record '" + text + "': port 0 for target " + target);
        }
        return new SrvRecord(priority, weight, port, target);
    }

    private static int number(String text, String field, String value) throws DnsException {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new DnsException("SRV record '" + text + "': " + field + " '" + value + "' is not a number 0-65535");
        }
        int n = Integer.parseInt(value);
        if (n > 65535) {
            throw new DnsException("SRV record '" + text + "': " + field + " " + n + " is not 0-65535");
        }
        return n;
    }

    boolean notOffered() {
        return target.equals(NOT_OFFERED);
    }

    /**
     * The order in which to try {@code records} (RFC 2782, "Usage rules"): lowest priority first; within one
     * priority, a weighted random choice among the records not yet taken, records of weight 0 put first so
     * they are chosen only rarely. {@code random} is an input so tests can fix it.
     */
    static List<SrvRecord> order(List<SrvRecord> records, RandomGenerator random) {
        List<SrvRecord> byPriority = new ArrayList<>(records);
        byPriority.sort(Comparator.comparingInt(SrvRecord::priority));
        List<SrvRecord> out = new ArrayList<>(records.size());
        int i = 0;
        while (i < byPriority.size()) {
            int priority = byPriority.get(i).priority();
            List<SrvRecord> group = new ArrayList<>();
            while (i < byPriority.size() && byPriority.get(i).priority() == priority) {
                group.add(byPriority.get(i++));
            }
            group.sort(Comparator.comparingInt(r -> r.weight() == 0 ? 0 : 1)); // stable: keeps answer order
            while (!group.isEmpty()) {
                long total = 0;
                for (SrvRecord r : group) {
                    total += r.weight();
                }
                long pick = random.nextLong(total + 1); // 0..total, both included, as RFC 2782 says
                long running = 0;
                int chosen = group.size() - 1;
                for (int k = 0; k < group.size(); k++) {
                    running += group.get(k).weight();
                    if (running >= pick) {
                        chosen = k;
                        break;
                    }
                }
                out.add(group.remove(chosen));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return priority + " " + weight + " " + port + " " + target;
    }
}
