package io.valuetier.cli;

import io.valuetier.act.PublishSettings;
import io.valuetier.api.ApiSettings;
import io.valuetier.clean.CleaningRules;
import io.valuetier.config.Settings;
import io.valuetier.config.SettingsSchema;
import io.valuetier.decide.DecideSettings;
import io.valuetier.ingest.IngestSettings;
import io.valuetier.model.ModelSettings;
import io.valuetier.monitor.MonitorSettings;
import io.valuetier.pipeline.RunSettings;
import io.valuetier.store.StoreSettings;
import io.valuetier.whatif.WhatIfSettings;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks every setting before a command does any work: each stage's validated record is built once here (store,
 * ingest, cleaning, model, decisions with their guardrails and control groups, what-if, publishing, monitoring, the
 * API, the main job) and the keys read directly are checked by {@link SettingsSchema}, so that a bad value fails at
 * start with its key, value and origin, not when its stage runs.
 * Unknown keys are warned about, once per process, with the nearest known key.
 */
final class StartupCheck {
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private StartupCheck() {}

  static Settings check(Settings s, PrintStream err) {
    for (String w : s.warnings()) {
      if (WARNED.add(w)) {
        err.println("warning: " + w);
      }
    }
    SettingsSchema.checkValues(s);
    ModelSettings.from(s);
    CleaningRules.from(s, LocalDateTime.now());
    MonitorSettings.from(s);
    StoreSettings.from(s);
    IngestSettings.from(s);
    DecideSettings.from(s);
    WhatIfSettings.from(s);
    PublishSettings.from(s);
    ApiSettings.from(s);
    RunSettings.from(s);
    return s;
  }
}
