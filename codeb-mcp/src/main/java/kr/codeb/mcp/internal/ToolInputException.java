package kr.codeb.mcp.internal;

/**
 * Bad arguments of a tool call, named by field: becomes a tool error ({@code isError: true})
 * whose text says which field and what is allowed. Never carries a value that may be secret.
 */
final class ToolInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ToolInputException(String field, String problem) {
    super("field '" + field + "': " + problem);
  }
}
