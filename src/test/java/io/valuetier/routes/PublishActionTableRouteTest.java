package io.valuetier.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.valuetier.act.ActionTable;
import io.valuetier.config.Settings;
import io.valuetier.store.Store;
import io.valuetier.store.Stores;
import io.valuetier.util.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.sql.SqlConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routes/publish-action-table.camel.yaml} on the real store (H2 in MySQL mode): a JSON batch becomes one
 * batched insert into marketing_actions ({@code mock:rows} sees the parameter rows before the SQL endpoint and
 * {@code mock:inserted} its update count after it), and a repeated decision is ignored by its key.
 */
class PublishActionTableRouteTest {
  @TempDir Path work;

  @Test
  void aBatchIsInsertedOnceAndARepeatedDecisionIsIgnored() throws Exception {
    Settings s = RouteKit.settings(work, Map.of());
    try (Store store = Stores.open(s);
        RouteHost host = RouteKit.start(s,
            Map.of("actionTable", new ActionTable(), "actionTableDataSource", store.dataSource()),
            Set.of("publish-action-table"), false,
            ctx -> RouteKit.advise(ctx, "publish-action-table", a -> {
              a.weaveByToUri("sql:*").before().to("mock:rows");
              a.weaveByToUri("sql:*").after().to("mock:inserted");
            }))) {
      MockEndpoint rows = RouteKit.mock(host, "rows");
      MockEndpoint inserted = RouteKit.mock(host, "inserted");
      rows.expectedMessageCount(1);
      inserted.expectedHeaderReceived(SqlConstants.SQL_UPDATE_COUNT, 3);

      host.template().sendBody("direct:write-action-table", Json.write(RouteKit.actions(0, 3, false)));

      MockEndpoint.assertIsSatisfied(rows, inserted);
      assertEquals(3, rows.getReceivedExchanges().getFirst().getMessage().getBody(List.class).size(),
          "one parameter row per action");
      assertEquals(3, store.queryLong("SELECT COUNT(*) FROM marketing_actions"));
      assertEquals(2, store.queryLong("SELECT COUNT(*) FROM marketing_actions WHERE action_code = 'VIP_CALL'"));

      inserted.reset();
      inserted.expectedMessageCount(1);
      host.template().sendBody("direct:write-action-table", Json.write(RouteKit.actions(2, 2, true)));
      inserted.assertIsSatisfied();
      assertEquals(4, store.queryLong("SELECT COUNT(*) FROM marketing_actions"), "d-2 is not inserted twice");
      assertEquals(0, store.queryLong("SELECT COUNT(*) FROM marketing_actions WHERE decision_id = 'd-2'"
          + " AND control_group = TRUE"), "the first row of a decision stays");
    }
  }
}
