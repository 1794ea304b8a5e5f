package dev.graft.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The harness's end of {@link ProbedMain}: sends a question on the process's stdin and waits
 * for the matching {@code PROBE} line on its stdout (other output lines are dropped).
 */
final class Probe {

    private final OutputStream in;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    Probe(Process p) {
        this.in = p.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("PROBE ")) {
                        answers.add(line.substring(6));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "probe-reader-" + p.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Asks {@code question}; returns the value of the answer that starts with {@code key}. */
    synchronized String ask(String question, String key) throws IOException, InterruptedException {
        in.write((question + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        while (true) {
            String a = answers.poll(60, TimeUnit.SECONDS);
            if (a == null) {
                throw new IOException("probe: no answer to " + question + " within 60 s");
            }
            if (a.startsWith(key + " ")) {
                return a.substring(key.length() + 1).trim();
            }
        }
    }
}
