package io.keyfed.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of process trees, read from /proc (Linux only).
 *
 * <p>A group is a set of root pids, plus every process whose command line contains one of its match strings
 * (used for PostgreSQL, whose postmaster is daemonised by pg_ctl and so is not a child of the ledger's JVM),
 * plus all their descendants. Groups are exclusive: a process claimed by an earlier group is not counted
 * again in a later one (so "postgres" listed before "ledger_jvm" splits the ledger's tree). For each live member it sums utime + stime + cutime + cstime: a child that
 * exits and is reaped moves its time into its parent's cutime/cstime, so short-lived backends are counted
 * once, in the delta between two snapshots.
 */
final class ProcCpu {
    /** One group to measure. */
    record Group(String name, Set<Integer> roots, List<String> cmdlineMatches) {
    }

    private record Proc(int pid, int ppid, long ticks) {
    }

    private final long clkTck;

    ProcCpu(long clkTck) {
        this.clkTck = clkTck;
    }

    /** Seconds of CPU per group name, at this instant. */
    Map<String, Double> snapshot(List<Group> groups) {
        Map<Integer, Proc> all = new HashMap<>();
        Map<Integer, List<Integer>> children = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                Proc pr = read(Integer.parseInt(n));
                if (pr != null) {
                    all.put(pr.pid, pr);
                    children.computeIfAbsent(pr.ppid, k -> new ArrayList<>()).add(pr.pid);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        Set<Integer> claimed = new HashSet<>();
        for (Group g : groups) {
            Set<Integer> members = new HashSet<>();
            Deque<Integer> todo = new ArrayDeque<>(g.roots());
            if (!g.cmdlineMatches().isEmpty()) {
                for (Integer pid : all.keySet()) {
                    String cmd = cmdline(pid);
                    for (String m : g.cmdlineMatches()) {
                        if (cmd.contains(m)) {
                            todo.add(pid);
                            break;
                        }
                    }
                }
            }
            while (!todo.isEmpty()) {
                int pid = todo.poll();
                if (!claimed.contains(pid) && members.add(pid)) {
                    todo.addAll(children.getOrDefault(pid, List.of()));
                }
            }
            claimed.addAll(members);
            long ticks = 0;
            for (int pid : members) {
                Proc p = all.get(pid);
                if (p != null) {
                    ticks += p.ticks;
                }
            }
            out.put(g.name(), ticks / (double) clkTck);
        }
        return out;
    }

    /** Seconds of CPU of this JVM (the load generator itself). */
    double self() {
        Proc p = read((int) ProcessHandle.current().pid());
        return p == null ? 0 : p.ticks / (double) clkTck;
    }

    private static Proc read(int pid) {
        String s;
        try {
            s = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null; // exited meanwhile
        }
        // The command name (field 2) is in parentheses and may contain spaces: parse after the last ')'.
        int close = s.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = s.substring(close + 2).trim().split(" ");
        // f[0] = state (field 3), f[1] = ppid (4), f[11..14] = utime, stime, cutime, cstime (14..17)
        try {
            int ppid = Integer.parseInt(f[1]);
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return new Proc(pid, ppid, ticks);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String cmdline(int pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline"));
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    b[i] = ' ';
                }
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
