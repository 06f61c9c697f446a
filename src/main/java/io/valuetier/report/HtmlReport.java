package io.valuetier.report;

import io.valuetier.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the report as ONE self-contained HTML file that opens offline: the page template, the Apache ECharts
 * library (from its WebJar, Apache-2.0) and the run's data are all inlined. Charts use ECharts' SVG renderer.
 */
public final class HtmlReport {
  private static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
  private static final String TEMPLATE = "/report/report.html";

  private HtmlReport() {}

  public static Path write(ReportData data, Path file) {
    String html =
        resource(TEMPLATE)
            .replace("/*ECHARTS*/", resource(ECHARTS).replace("</script", "<\\/script"))
            .replace("\"__DATA__\"", Json.write(data).replace("</", "<\\/"))
            .replace("__TITLE__", escape(data.title()));
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, html, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " (is the echarts WebJar on the class path?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
