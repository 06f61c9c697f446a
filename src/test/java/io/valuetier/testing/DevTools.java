package io.valuetier.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.valuetier.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium driven over the Chrome DevTools Protocol (a WebSocket of the JDK's HTTP client), for
 * pages that must be used, not only loaded: evaluate script in the page, send headers, take screenshots, and record
 * every request the page makes and every console error, script exception and browser error it causes.
 */
public final class DevTools implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process chromium;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

  private DevTools(Process chromium, WebSocket socket) {
    this.chromium = chromium;
    this.socket = socket;
  }

  /** Starts Chromium with an empty profile in {@code work} and attaches to its page. */
  public static DevTools start(Path work, int width, int height) throws IOException, InterruptedException {
    String exe = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(exe))) {
      throw new AssertionError("Chromium is needed by this test and " + exe + " is missing: apt-get install chromium");
    }
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    Process p = new ProcessBuilder(exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--remote-debugging-port=0",
        "--window-size=" + width + "," + height, "--hide-scrollbars", "about:blank")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> browserUrl = new CompletableFuture<>();
    Thread drain = new Thread(() -> {
      try {
        String line;
        while ((line = err.readLine()) != null) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            browserUrl.complete(m.group(1));
          }
        }
        browserUrl.completeExceptionally(new AssertionError("Chromium ended without a DevTools address"));
      } catch (IOException e) {
        browserUrl.completeExceptionally(e);
      }
    }, "chromium-stderr");
    drain.setDaemon(true);
    drain.start();
    try {
      URI browser = URI.create(browserUrl.get(60, TimeUnit.SECONDS));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
      String page = null;
      for (JsonNode t : Json.MAPPER.readTree(list)) {
        if ("page".equals(t.path("type").asText())) {
          page = t.path("webSocketDebuggerUrl").asText();
        }
      }
      if (page == null) {
        throw new AssertionError("Chromium has no page to attach to: " + list);
      }
      DevTools[] self = new DevTools[1];
      Listener listener = new Listener(self);
      WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(page), listener).get(30, TimeUnit.SECONDS);
      self[0] = new DevTools(p, ws);
      self[0].call("Network.enable", Map.of());
      self[0].call("Runtime.enable", Map.of());
      self[0].call("Log.enable", Map.of());
      self[0].call("Page.enable", Map.of());
      return self[0];
    } catch (Exception e) {
      p.destroyForcibly();
      throw new AssertionError("cannot attach to Chromium: " + e, e);
    }
  }

  /** Sends one command and waits for its result (60 s at most). */
  public JsonNode call(String method, Map<String, ?> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("id", id);
    msg.put("method", method);
    msg.put("params", params);
    socket.sendText(Json.write(msg), true).join();
    JsonNode r;
    try {
      r = answer.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(method + " got no answer: " + e, e);
    } finally {
      pending.remove(id);
    }
    if (r.has("error")) {
      throw new AssertionError(method + " failed: " + r.path("error"));
    }
    return r.path("result");
  }

  /** Evaluates {@code expression} in the page (a promise is awaited) and returns its value as JSON. */
  public JsonNode eval(String expression) {
    JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "awaitPromise", true,
        "returnByValue", true));
    if (r.has("exceptionDetails")) {
      throw new AssertionError("the page threw on " + expression + ": " + r.path("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Waits until {@code expression} is true in the page. */
  public void waitFor(String expression, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!eval("Boolean(" + expression + ")").asBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("the page never had " + expression + " within " + timeout + "; errors: " + errors()
            + "; requests: " + requests().stream().map(u -> u.length() > 100 ? u.substring(0, 100) + "..." : u).toList()
            + "; page text: "
            + eval("document.body ? document.body.innerText.slice(0, 500) : ''").asText());
      }
      Thread.sleep(250);
    }
  }

  /** Opens {@code url} (every request of the page then carries {@code headers}). */
  public void open(String url, Map<String, String> headers) {
    call("Network.setExtraHTTPHeaders", Map.of("headers", headers));
    call("Page.navigate", Map.of("url", url));
  }

  /** Writes a PNG of the viewport. */
  public void screenshot(Path png) throws IOException {
    JsonNode r = call("Page.captureScreenshot", Map.of("format", "png"));
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode(r.path("data").asText()));
  }

  /** Every URL the page requested so far, in order (sub-frames included). */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Console errors, uncaught exceptions and browser errors so far. */
  public List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  private void event(JsonNode m) {
    JsonNode p = m.path("params");
    switch (m.path("method").asText()) {
      case "Network.requestWillBeSent" -> requests.add(p.path("request").path("url").asText());
      case "Runtime.consoleAPICalled" -> {
        if ("error".equals(p.path("type").asText()) || "assert".equals(p.path("type").asText())) {
          StringBuilder sb = new StringBuilder("console.error:");
          for (JsonNode a : p.path("args")) {
            sb.append(' ').append(a.has("value") ? a.path("value").asText() : a.path("description").asText());
          }
          errors.add(sb.toString());
        }
      }
      case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails").path("text").asText()
          + " " + p.path("exceptionDetails").path("exception").path("description").asText());
      case "Log.entryAdded" -> {
        if ("error".equals(p.path("entry").path("level").asText())) {
          errors.add("browser: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
        }
      }
      default -> {}
    }
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Chromium is ended below either way
    }
    chromium.destroy();
    try {
      if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
        chromium.destroyForcibly();
      }
    } catch (InterruptedException e) {
      chromium.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Reassembles the WebSocket's text frames into protocol messages: answers to calls and events. */
  private static final class Listener implements WebSocket.Listener {
    private final DevTools[] owner;
    private final StringBuilder text = new StringBuilder();
    private final List<JsonNode> early = new ArrayList<>();

    Listener(DevTools[] owner) {
      this.owner = owner;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode m = Json.MAPPER.readTree(text.toString());
          DevTools d = owner[0];
          if (d == null) {
            early.add(m);
          } else if (m.has("id")) {
            CompletableFuture<JsonNode> f = d.pending.get(m.path("id").asInt());
            if (f != null) {
              f.complete(m);
            }
          } else {
            d.event(m);
          }
        } catch (IOException e) {
          throw new AssertionError("not a DevTools message: " + text, e);
        } finally {
          text.setLength(0);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
