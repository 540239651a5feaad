package io.keyfed.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** POSIX signals to a process this test started (SIGSTOP freezes it, SIGCONT resumes it), and its state. */
final class Signals {
    private Signals() {
    }

    /** {@code kill -NAME pid}, e.g. {@code send("STOP", pid)}; fails if kill does. */
    static void send(String name, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid + " failed: " + out);
        }
    }

    /**
     * The process's state letter from {@code /proc/PID/stat} ('T' stopped by a signal, 'S' sleeping, 'R'
     * running), once it is {@code expected} or after a second: a signal is delivered asynchronously.
     */
    static char awaitState(long pid, char expected) throws Exception {
        char state = read(pid);
        for (int i = 0; i < 50 && state != expected; i++) {
            Thread.sleep(20);
            state = read(pid);
        }
        return state;
    }

    private static char read(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // "PID (COMMAND) STATE ...": the command may hold spaces and parentheses; the state follows the last ')'.
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
