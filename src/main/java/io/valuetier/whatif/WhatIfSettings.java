package io.valuetier.whatif;

import io.valuetier.config.Settings;

/**
 * The {@code valuetier.whatif.*} settings, checked when read: a bad value stops the run with the key, the value and
 * where it came from.
 *
 * @param sampleSize customers whose outcome changes that a simulation lists with their reasons
 */
public record WhatIfSettings(int sampleSize) {

  /** Reads and checks the settings. */
  public static WhatIfSettings from(Settings s) {
    return new WhatIfSettings(s.intValue("valuetier.whatif.sample-size", 0, 10_000));
  }
}
