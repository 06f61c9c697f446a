package io.valuetier.cli;

import picocli.CommandLine;

/** The version from the jar manifest, with the Java version it runs on. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "valuetier " + (v == null ? "(development build)" : v), "Java " + Runtime.version()
    };
  }
}
