// One MCP session with CodeB's server through the TypeScript SDK's client (a client CodeB did
// not write), for McpClientsTest. Reads the plan from the JSON file named by argv[2]; writes one
// JSON report on stdout. Run with NODE_PATH pointing at the node_modules that
// scripts/test-env.sh installed (CODEB_TEST_MCP_CLIENTS).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const modules = process.env.NODE_PATH;
const require = createRequire(join(modules, "noop.js"));
const { Client } = await import(require.resolve("@modelcontextprotocol/sdk/client/index.js"));
const { StdioClientTransport } = await import(require.resolve("@modelcontextprotocol/sdk/client/stdio.js"));
const Ajv2020 = require("ajv/dist/2020").default;

const report = { tools: [], calls: {} };
const transport = new StdioClientTransport({
  command: plan.command, args: plan.args, env: plan.env, stderr: "inherit",
});
const client = new Client({ name: "codeb-test-ts-client", version: "1.0.0" });
await client.connect(transport);

// Every tool's input and output schema must compile as JSON Schema (2020-12).
const listed = await client.listTools();
for (const tool of listed.tools) {
  const entry = { name: tool.name, annotations: tool.annotations ?? null,
    required: tool.inputSchema.required ?? [], properties: Object.keys(tool.inputSchema.properties ?? {}),
    undescribed: Object.entries(tool.inputSchema.properties ?? {})
      .filter(([, p]) => !p.description).map(([n]) => n) };
  for (const which of ["inputSchema", "outputSchema"]) {
    try {
      new Ajv2020({ strict: true, allErrors: true }).compile(tool[which]);
      entry[which] = "valid";
    } catch (e) {
      entry[which] = "invalid: " + e.message;
    }
  }
  report.tools.push(entry);
}

// callTool checks structuredContent against the tool's outputSchema itself (throws if not).
// cancelOn: abort the call (the SDK sends notifications/cancelled) at the first progress
// message that contains this text.
async function call(label, name, args, withProgress, cancelOn) {
  const progress = [];
  const options = { timeout: 180000 };
  if (withProgress || cancelOn) {
    const controller = new AbortController();
    options.signal = controller.signal;
    options.onprogress = (p) => {
      progress.push(p.message ?? "");
      if (cancelOn && (p.message ?? "").includes(cancelOn)) controller.abort("cancelled by the test");
    };
    options.resetTimeoutOnProgress = true;
  }
  try {
    const r = await client.callTool({ name, arguments: args }, undefined, options);
    report.calls[label] = { isError: r.isError === true, text: (r.content ?? []).map((c) => c.text).join("\n"),
      structured: r.structuredContent ?? null, progress };
  } catch (e) {
    report.calls[label] = { thrown: String(e && e.message ? e.message : e), progress };
  }
}

for (const step of plan.calls) {
  if (step.sleepMs) await new Promise((resolve) => setTimeout(resolve, step.sleepMs));
  await call(step.label, step.tool, step.arguments, step.progress === true, step.cancelOn);
}
await client.close();
process.stdout.write(JSON.stringify(report) + "\n");
