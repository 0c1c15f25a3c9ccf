package kr.codeb.mcp.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One MCP tool: its name, its schemas and what it does, as a thin layer over the operation the
 * matching {@code we} command runs. A new tool is one subclass, listed in {@link Tools}.
 *
 * <p>{@link ToolRunner} does the rest the same way for every tool: it refuses unknown fields,
 * checks {@code confirm: true} of a destructive tool, turns bad input and failures into tool
 * errors, masks secrets, and logs one line per call on stderr.
 */
abstract class CodeBTool {
  /** What a tool does to the fleet, for the client's annotations. */
  enum Effect {
    /** Reads only ({@code readOnlyHint}). */
    READ_ONLY,
    /** Changes something that can be changed back by another call. */
    CHANGES,
    /** Removes or replaces something ({@code destructiveHint}); needs {@code confirm: true}. */
    DESTRUCTIVE
  }

  /** A tool's answer: the structured result (valid against {@link #output()}) and one line. */
  record Result(ObjectNode structured, String text) {
    Result {
      Objects.requireNonNull(structured, "structured");
      Objects.requireNonNull(text, "text");
    }
  }

  /** The tool's name, e.g. {@code ssot_check}. */
  abstract String name();

  /** A short title for people. */
  abstract String title();

  /** What the tool does and needs (which providers), for a model that has not read the README. */
  abstract String description();

  abstract Effect effect();

  /** Whether calling it again with the same arguments changes nothing more. */
  boolean idempotent() {
    return effect() == Effect.READ_ONLY;
  }

  /** The input schema: every field described, enums where fixed, required ones listed. */
  abstract Schema input();

  /** The schema of {@link Result#structured()}. */
  abstract Schema output();

  /** Runs the call; bad input throws {@link ToolInputException} or the library's exceptions. */
  abstract Result call(Params params, ToolCall call);
}
