package io.valuetier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one helper that removes credentials from URIs, JDBC URLs and messages quoting them. */
class RedactionTest {
  @Test
  void aTokenInTheQueryOfAWebhookUriIsMasked() {
    assertEquals("https://crm.example.com/hook?token=***&batch=1",
        Redaction.uri("https://crm.example.com/hook?token=S3CR3T&batch=1"));
  }

  @Test
  void everyParameterNamedLikeASecretIsMaskedAndOthersAreKept() {
    assertEquals("http://h/x?apiKey=***&access_token=***&sig=***&X-Api-Key=***&client_secret=***&servers=a:1",
        Redaction.uri("http://h/x?apiKey=a&access_token=b&sig=c&X-Api-Key=d&client_secret=e&servers=a:1"));
  }

  @Test
  void thePasswordOfAUserInfoPartIsMaskedButTheUserKept() {
    assertEquals("jdbc:mysql://shop:***@db.internal:3306/vt?sslMode=VERIFY_IDENTITY",
        Redaction.uri("jdbc:mysql://shop:hunter2@db.internal:3306/vt?sslMode=VERIFY_IDENTITY"));
    assertEquals("nats://app:***@127.0.0.1:4222", Redaction.uri("nats://app:pw@127.0.0.1:4222"));
  }

  @Test
  void jdbcPasswordParametersOfMysqlAndH2AreMasked() {
    assertEquals("jdbc:mysql://h/vt?user=a&password=***&trustCertificateKeyStorePassword=***",
        Redaction.uri("jdbc:mysql://h/vt?user=a&password=x1&trustCertificateKeyStorePassword=x2"));
    assertEquals("jdbc:h2:file:/d/vt;MODE=MySQL;PASSWORD=***", Redaction.uri("jdbc:h2:file:/d/vt;MODE=MySQL;PASSWORD=p"));
  }

  @Test
  void aMessageQuotingAUriHasItsSecretsMaskedInPlace() {
    assertEquals("HTTP operation failed invoking http://127.0.0.1:81/hook?token=*** with statusCode: 503",
        Redaction.text("HTTP operation failed invoking http://127.0.0.1:81/hook?token=abc with statusCode: 503"));
  }

  @Test
  void aDestinationWithoutSecretsIsUnchanged() {
    assertEquals("direct:write-action-files", Redaction.uri("direct:write-action-files"));
    assertEquals("nats:valuetier.actions?servers=127.0.0.1:4222",
        Redaction.uri("nats:valuetier.actions?servers=127.0.0.1:4222"));
  }
}
