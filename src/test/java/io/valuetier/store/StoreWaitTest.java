package io.valuetier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.valuetier.testing.TestStores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker started with the machine may start before MariaDB answers. It waits for the server that does not answer
 * yet, as it waits for its broker, and opens the store once the server is up; a server that answers with an error (a
 * database that does not exist) is not waited for.
 */
class StoreWaitTest {
  @TempDir Path work;
  private String url;

  @AfterEach
  void drop() {
    if (url != null) {
      TestStores.dropMysql(url);
    }
  }

  @Test
  void aWorkerWaitsForADatabaseServerThatStartsAfterIt() throws Exception {
    url = TestStores.createMysqlDatabase("vt_wait");
    int port = TestStores.freePort();
    String late = url.replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/");
    List<String> progress = new CopyOnWriteArrayList<>();
    AtomicReference<ServerSocket> listening = new AtomicReference<>();
    // the server answers on `port` only 12 s from now: longer than the pool's own 10 s of retrying
    Thread.ofPlatform().daemon().start(() -> forwardAfter(Duration.ofSeconds(12), port, listening));
    long t0 = System.nanoTime();
    try (Store store = Stores.openForServing(TestStores.settings(late, work, Map.of()), Duration.ofMinutes(1),
        progress::add)) {
      assertTrue(System.nanoTime() - t0 > Duration.ofSeconds(12).toNanos(), "opened only once the server was up");
      assertTrue(store.queryLong("SELECT COUNT(*) FROM flyway_schema_history") > 0, "the schema is migrated");
      assertEquals(36, StoreId.of(store).id().length());
    } finally {
      ServerSocket socket = listening.get();
      if (socket != null) {
        socket.close();
      }
    }
    assertFalse(progress.isEmpty(), "it said it was waiting");
    assertTrue(progress.getFirst().startsWith("waiting for the database (up to 60 s): cannot connect to"),
        progress.getFirst());
  }

  @Test
  void aServerThatAnswersWithAnErrorIsNotWaitedFor() {
    String missing = TestStores.mysqlServer() + "vt_wait_no_such_database";
    List<String> progress = new CopyOnWriteArrayList<>();
    StoreException e = assertThrows(StoreException.class, () -> Stores.openForServing(
        TestStores.settings(missing, work, Map.of()), Duration.ofMinutes(1), progress::add).close());
    assertFalse(e.unreachable(), e.getMessage());
    assertTrue(e.getMessage().contains("Unknown database"), e.getMessage());
    assertEquals(List.of(), progress, "no waiting for a server that answered");
  }

  /** Waits {@code delay}, then forwards every connection to {@code port} to the test's MariaDB server. */
  private static void forwardAfter(Duration delay, int port, AtomicReference<ServerSocket> listening) {
    try {
      Thread.sleep(delay);
      String server = TestStores.mysqlServer().replaceFirst("^jdbc:mysql://", "").replaceFirst("/.*$", "");
      String host = server.contains(":") ? server.substring(0, server.indexOf(':')) : server;
      int target = server.contains(":") ? Integer.parseInt(server.substring(server.indexOf(':') + 1)) : 3306;
      try (ServerSocket listen = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
        listening.set(listen);
        while (!listen.isClosed()) {
          Socket client = listen.accept();
          Socket db = new Socket(host, target);
          Thread.ofVirtual().start(() -> pump(client, db));
          Thread.ofVirtual().start(() -> pump(db, client));
        }
      }
    } catch (IOException | InterruptedException e) {
      // the test closed the socket: it is over
    }
  }

  private static void pump(Socket from, Socket to) {
    try (from; to) {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // one side closed
    }
  }
}
