package io.valuetier.stream;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), for trying the workers on
 * one machine and for the tests: started from Kafka's own server library ({@code kafka.Kafka}) in a JVM of its own,
 * whose class path is the broker's jars (copied by the build to {@code target/kafka-broker/}) followed by this
 * program's class path (the Kafka client, Jackson, SLF4J and Logback of the same versions). Its own JVM because the
 * broker brings Scala and its coordinators, which the commands do not need, and logs through its own file.
 *
 * <p>The folder holds {@code server.properties}, the log directory {@code logs/} (formatted once with a new cluster
 * id, kept between starts) and {@code broker.log}. Nothing is downloaded at run time.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(90);

  private final Process process;
  private final Path dir;
  private final String bootstrap;

  private KafkaBroker(Process process, Path dir, String bootstrap) {
    this.process = process;
    this.dir = dir;
    this.bootstrap = bootstrap;
  }

  /** Starts the broker of {@code s} ({@code valuetier.kafka.broker.*}) and waits until it answers. */
  public static KafkaBroker start(KafkaSettings s) {
    return start(s.brokerDir(), s.brokerPort(), s.controllerPort(), s.brokerLibDir());
  }

  /**
   * Starts a broker on 127.0.0.1:{@code port} (controller on {@code controllerPort}) with its data in {@code dir},
   * formatting the folder first when it is new, and waits until it answers.
   *
   * @param libDir the broker's jars
   * @throws IllegalStateException when the jars are missing, the port is taken or the broker does not come up (with
   *     the end of its log)
   */
  public static KafkaBroker start(Path dir, int port, int controllerPort, Path libDir) {
    if (!Files.isDirectory(libDir) || !hasJar(libDir, "kafka_2.13-")) {
      throw new IllegalStateException("the Kafka broker's jars are not in " + libDir + " (valuetier.kafka.broker.lib-dir):"
          + " build them with `mvn -DskipTests package` (the launcher does it when the sources changed)");
    }
    if (answers(port)) {
      throw new IllegalStateException("port " + port + " on 127.0.0.1 is already taken (another broker?); stop it or"
          + " set valuetier.kafka.broker.port and valuetier.kafka.bootstrap-servers");
    }
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("server.properties");
      Path logs = dir.resolve("logs");
      writeConfig(config, logs, port, controllerPort);
      Path logback = dir.resolve("logback-broker.xml");
      Files.writeString(logback, logbackConfig(dir.resolve("broker.log")), StandardCharsets.UTF_8);
      if (!Files.exists(logs.resolve("meta.properties"))) {
        Process format =
            java(libDir, logback, List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()), dir.resolve("format.out"));
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
          format.destroyForcibly();
          throw new IllegalStateException("formatting the broker's folder " + logs + " failed: "
              + tail(dir.resolve("format.out")));
        }
      }
      Process p = java(libDir, logback, List.of("kafka.Kafka", config.toString()), dir.resolve("broker.out"));
      KafkaBroker broker = new KafkaBroker(p, dir, "127.0.0.1:" + port);
      broker.awaitReady();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the broker's folder " + dir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the broker", e);
    }
  }

  /** The bootstrap servers of this broker ({@code 127.0.0.1:PORT}). */
  public String bootstrapServers() {
    return bootstrap;
  }

  public Path dir() {
    return dir;
  }

  public long pid() {
    return process.pid();
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the Kafka broker stopped while starting (exit " + process.exitValue() + "): "
            + tail(dir.resolve("broker.log")) + " " + tail(dir.resolve("broker.out")));
      }
      if (answers(Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1)))) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (Exception notYet) {
          // the socket is open before the broker has joined its controller: try again
        }
      }
      Thread.sleep(200);
    }
    close();
    throw new IllegalStateException("the Kafka broker did not answer within " + READY.toSeconds() + " s: "
        + tail(dir.resolve("broker.log")));
  }

  private static boolean answers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean hasJar(Path dir, String prefix) {
    try (var files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith(prefix));
    } catch (IOException e) {
      return false;
    }
  }

  private static Process java(Path libDir, Path logback, List<String> mainAndArgs, Path out) throws IOException {
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseG1GC");
    cmd.add("-Dlogback.configurationFile=" + logback);
    cmd.add("-cp");
    cmd.add(libDir.toAbsolutePath() + File.separator + "*" + File.pathSeparator + System.getProperty("java.class.path"));
    cmd.addAll(mainAndArgs);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
  }

  private static void writeConfig(Path file, Path logs, int port, int controllerPort) throws IOException {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", logs.toAbsolutePath().toString());
    // one broker: the internal topics can have one copy only
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("offsets.topic.num.partitions", "6");
    p.setProperty("transaction.state.log.num.partitions", "6");
    // a worker joining starts at once; a killed worker's open transaction is aborted soon after its timeout
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    p.setProperty("auto.create.topics.enable", "false");
    try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(w, "written by valuetier (KafkaBroker) at each start");
    }
  }

  private static String logbackConfig(Path log) {
    return """
        <configuration>
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>%s</file>
            <encoder><pattern>%%d{ISO8601} %%-5level %%logger{36} - %%msg%%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="FILE"/></root>
        </configuration>
        """.formatted(log.toAbsolutePath());
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<String> last = new ArrayList<>();
      for (int i = lines.size() - 1; i >= 0 && last.size() < 6; i--) {
        if (lines.get(i).contains("ERROR") || lines.get(i).contains("Exception") || last.size() < 2) {
          last.addFirst(lines.get(i).strip());
        }
      }
      return file + ": " + String.join(" | ", last);
    } catch (IOException e) {
      return "(no " + file + ")";
    }
  }

  /** Stops the broker (a controlled shutdown, forced after 30 s). */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
