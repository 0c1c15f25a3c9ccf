package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.audit.AuditContext;
import kr.codeb.cli.internal.CliServices;

/**
 * Runs every tool the same way: arguments checked against the tool's fields, {@code confirm}
 * of destructive tools, errors as tool errors ({@code isError: true}) that name the problem, the
 * result as {@code structuredContent} plus one line of text, secrets masked, one log line per
 * call on stderr (tool, outcome, time; never the arguments). Nothing a call throws reaches the
 * SDK: a bad call never ends the server.
 */
final class ToolRunner {
  private final CliServices services;
  private final ObjectMapper mapper;
  private final Cancellations cancellations;
  private final PrintStream log;
  private final Redaction serverSecrets;

  ToolRunner(CliServices services, ObjectMapper mapper, Cancellations cancellations,
      PrintStream log) {
    this.services = services;
    this.mapper = mapper;
    this.cancellations = cancellations;
    this.log = log;
    this.serverSecrets = Redaction.ofEnvironment(System.getenv());
  }

  SyncToolSpecification specification(CodeBTool tool) {
    Schema input = tool.input();
    List<String> fields = input.names();
    boolean readOnly = tool.effect() == CodeBTool.Effect.READ_ONLY;
    boolean destructive = tool.effect() == CodeBTool.Effect.DESTRUCTIVE;
    McpSchema.Tool described = McpSchema.Tool.builder()
        .name(tool.name())
        .title(tool.title())
        .description(tool.description())
        .inputSchema(input.toMap())
        .outputSchema(tool.output().toMap())
        .annotations(new McpSchema.ToolAnnotations(tool.title(), readOnly, destructive,
            tool.idempotent(), false, null))
        .build();
    return SyncToolSpecification.builder().tool(described)
        .callHandler((exchange, request) -> call(tool, fields, exchange, request))
        .build();
  }

  /** One call (public to this package for tests that call a tool without a client). */
  McpSchema.CallToolResult call(CodeBTool tool, List<String> fields,
      McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
    long start = System.nanoTime();
    Map<String, Object> meta = request.meta() == null ? Map.of() : request.meta();
    Object requestId = meta.get(InputTap.REQUEST_ID_META);
    String id = requestId instanceof String s ? s : "local-" + UUID.randomUUID();
    AtomicBoolean cancelled = cancellations.register(id);
    ToolCall call = new ToolCall(services, exchange, meta.get("progressToken"), cancelled,
        serverSecrets);
    String outcome = "error";
    try {
      Params params = new Params(request.arguments(), fields);
      if (tool.effect() == CodeBTool.Effect.DESTRUCTIVE && !params.bool("confirm", false)) {
        throw new ToolInputException("confirm", "must be true: " + tool.name() + " is"
            + " destructive, so it runs only with confirm: true");
      }
      // The changes of this call are recorded as the caller's, under the tool's name.
      CodeBTool.Result result = AuditContext.callAs(
          new AuditContext(services.actor(), "we mcp " + tool.name()),
          () -> tool.call(params, call));
      Redaction redaction = call.redaction();
      ObjectNode structured = (ObjectNode) masked(result.structured(), redaction);
      outcome = "ok";
      @SuppressWarnings("unchecked")
      Map<String, Object> content = mapper.convertValue(structured, Map.class);
      return McpSchema.CallToolResult.builder()
          .structuredContent(content)
          .addTextContent(redaction.apply(result.text()))
          .isError(false)
          .build();
    } catch (ToolInputException e) {
      return error(call, e.getMessage());
    } catch (InvalidRequestException e) {
      return error(call, "bad input: " + e.getMessage());
    } catch (CodeBException e) {
      return error(call, e.kind() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      log.println("we mcp: " + tool.name() + " failed unexpectedly: "
          + call.redaction().apply(e.getClass().getName() + ": " + e.getMessage()));
      return error(call, "an unexpected internal error"
          + (e.getMessage() == null ? "" : ": " + e.getMessage())
          + " (please report it; nothing more is known here)");
    } finally {
      cancellations.done(id);
      log.println("we mcp: " + tool.name() + " " + outcome + " in "
          + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
  }

  private static McpSchema.CallToolResult error(ToolCall call, String message) {
    return McpSchema.CallToolResult.builder()
        .addTextContent(call.redaction().apply(message))
        .isError(true)
        .build();
  }

  /** A copy of {@code node} with every string masked. */
  private static JsonNode masked(JsonNode node, Redaction redaction) {
    if (node.isTextual()) {
      return TextNode.valueOf(redaction.apply(node.asText()));
    }
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        copy.set(e.getKey(), masked(e.getValue(), redaction));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = ((ArrayNode) node).arrayNode();
      node.forEach(n -> copy.add(masked(n, redaction)));
      return copy;
    }
    return node;
  }
}
