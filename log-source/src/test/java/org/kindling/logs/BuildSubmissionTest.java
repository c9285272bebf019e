package org.kindling.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.kindling.core.Json;

class BuildSubmissionTest {
  @Test
  void shouldWriteJsonThatJacksonReadsBack() throws Exception {
    String[] names = {"product", "locale", "source", "x"};
    String[] values = {"firefox", "café", "a \"quoted\" \\ path\n", "\u2028\u0001"};
    for (int count = 0; count <= names.length; count++) {
      byte[] json = BuildSubmission.json(names, values, count);
      JsonNode doc = Json.mapper().readTree(json);
      assertThat(doc.size()).isEqualTo(count);
      for (int i = 0; i < count; i++) {
        assertThat(doc.path(names[i]).asText()).isEqualTo(values[i]);
      }
    }
    assertThat(new String(BuildSubmission.json(names, values, 1), StandardCharsets.UTF_8))
        .isEqualTo("{\"product\":\"firefox\"}");
  }
}
