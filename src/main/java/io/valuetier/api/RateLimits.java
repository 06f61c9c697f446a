package io.valuetier.api;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A request rate limit per API key (Resilience4j's lock-free {@link AtomicRateLimiter}): at most {@code perSecond}
 * requests in each one-second cycle, no waiting; a request over the limit is answered 429 with {@code Retry-After}.
 * Limiters are keyed by the key's non-secret id, so two keys never share a budget.
 */
final class RateLimits {
  private final RateLimiterConfig config;
  private final Map<String, AtomicRateLimiter> limiters = new ConcurrentHashMap<>();

  RateLimits(int perSecond) {
    this.config =
        RateLimiterConfig.custom()
            .limitForPeriod(perSecond)
            .limitRefreshPeriod(Duration.ofSeconds(1))
            .timeoutDuration(Duration.ZERO)
            .build();
  }

  /** Takes one permit of {@code keyId}'s budget; throws a 429 problem when it is used up. */
  void acquire(String keyId) {
    AtomicRateLimiter l = limiters.computeIfAbsent(keyId, id -> new AtomicRateLimiter("api-key-" + id, config));
    if (!l.acquirePermission()) {
      long nanos = l.getDetailedMetrics().getNanosToWait();
      long seconds = Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
      throw Problem.tooManyRequests(config.getLimitForPeriod(), seconds);
    }
  }

  /** The configured limit, for the start-up line. */
  int perSecond() {
    return config.getLimitForPeriod();
  }
}
