/**
 * CodeB's MCP server: {@code we mcp} serves the operations of the {@code we} commands as MCP
 * tools over standard input and output, on the official MCP Java SDK. It is a thin layer over
 * the same code as the CLI (its config file, provider URIs, provider pool and JSON shapes), so
 * the tools cannot drift from the commands. It has no public API: a
 * client configures the single command {@code we mcp}.
 */
package kr.codeb.mcp.internal;
