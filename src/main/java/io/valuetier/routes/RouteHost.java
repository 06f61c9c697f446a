package io.valuetier.routes;

import io.valuetier.config.Settings;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.function.ThrowingConsumer;

/**
 * Runs the Camel routes of {@code routes/} (YAML, loaded from the file system so that they change without a rebuild)
 * with the settings as property placeholders and the project's beans in the registry. A command starts only the
 * routes it needs, named by file (without {@code .camel.yaml}).
 */
public final class RouteHost implements AutoCloseable {
  private final CamelContext context;
  private final ProducerTemplate template;

  private RouteHost(CamelContext context) {
    this.context = context;
    this.template = context.createProducerTemplate();
  }

  /**
   * Starts a Camel context with the named route files of {@code routes/} (the error handling and dead-letter routes
   * are always included).
   */
  public static RouteHost start(Settings settings, Map<String, Object> beans, Set<String> routeFiles) {
    return start(settings, beans, routeFiles, false);
  }

  /**
   * As {@link #start(Settings, Map, Set)}, with the embedded HTTP server (Vert.x, for {@code platform-http} routes)
   * on {@code valuetier.http.host}:{@code valuetier.http.port} when {@code http} is true.
   */
  public static RouteHost start(
      Settings settings, Map<String, Object> beans, Set<String> routeFiles, boolean http) {
    return start(settings, beans, routeFiles, http, ctx -> {});
  }

  /**
   * As {@link #start(Settings, Map, Set, boolean)}, with {@code beforeStart} given the context once the routes are
   * loaded and before they start (where a route test advises them).
   */
  static RouteHost start(Settings settings, Map<String, Object> beans, Set<String> routeFiles, boolean http,
      ThrowingConsumer<CamelContext, Exception> beforeStart) {
    Path dir = settings.path("valuetier.routes.dir");
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.camel.yaml")) {
      for (Path p : ds) {
        String name = p.getFileName().toString().replace(".camel.yaml", "");
        if (routeFiles.contains(name) || name.equals("error-handling") || name.equals("dead-letter")) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      throw new RouteException("cannot list the routes in " + dir + ": " + e.getMessage(), e);
    }
    List<String> missing = new ArrayList<>();
    for (String want : routeFiles) {
      if (files.stream().noneMatch(p -> p.getFileName().toString().equals(want + ".camel.yaml"))) {
        missing.add(want + ".camel.yaml");
      }
    }
    if (!missing.isEmpty()) {
      throw new RouteException("missing route file(s) " + missing + " in " + dir);
    }
    files.sort(null);
    CamelContext ctx = new DefaultCamelContext();
    ctx.getPropertiesComponent().setInitialProperties(settings.asProperties());
    beans.forEach(ctx.getRegistry()::bind);
    ctx.getShutdownStrategy().setTimeout(10);
    ctx.getShutdownStrategy().setLogInflightExchangesOnTimeout(true);
    try {
      if (http) {
        HttpSettings server = HttpSettings.from(settings);
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost(server.host());
        conf.setBindPort(server.port());
        conf.setMaxBodySize(server.maxBodyBytes());
        // platform-http runs each request's route on the Vert.x worker pool: sized here, found by the server by type
        ctx.getRegistry().bind("valuetierVertxOptions", new VertxOptions().setWorkerPoolSize(server.workerThreads()));
        ctx.addService(new VertxPlatformHttpServer(conf));
      }
      List<Resource> resources = new ArrayList<>();
      for (Path p : files) {
        resources.add(ResourceHelper.resolveMandatoryResource(ctx, "file:" + p.toAbsolutePath()));
      }
      PluginHelper.getRoutesLoader(ctx).loadRoutes(resources);
      beforeStart.accept(ctx);
      ctx.start();
    } catch (Exception e) {
      try {
        ctx.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new RouteException("cannot start the routes " + files + ": " + rootMessage(e), e);
    }
    return new RouteHost(ctx);
  }

  private static String rootMessage(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable t = e.getCause();
    while (t != null && t != t.getCause()) {
      if (t.getMessage() != null && !sb.toString().contains(t.getMessage())) {
        sb.append(": ").append(t.getMessage());
      }
      t = t.getCause();
    }
    return sb.toString();
  }

  public CamelContext context() {
    return context;
  }

  public ProducerTemplate template() {
    return template;
  }

  @Override
  public void close() {
    try {
      template.close();
      context.close();
    } catch (Exception e) {
      throw new RouteException("cannot stop the routes: " + e.getMessage(), e);
    }
  }
}
