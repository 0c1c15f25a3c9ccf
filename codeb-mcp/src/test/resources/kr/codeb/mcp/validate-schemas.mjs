// Reads a tools/list result (as the MCP inspector's CLI prints it) on stdin and compiles every
// tool's input and output schema as JSON Schema 2020-12 with ajv; prints one JSON report.
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.env.NODE_PATH, "noop.js"));
const Ajv2020 = require("ajv/dist/2020").default;
let text = "";
for await (const chunk of process.stdin) text += chunk;
const listed = JSON.parse(text);
const report = [];
for (const tool of listed.tools) {
  const entry = { name: tool.name };
  for (const which of ["inputSchema", "outputSchema"]) {
    try {
      new Ajv2020({ strict: true, allErrors: true }).compile(tool[which]);
      entry[which] = "valid";
    } catch (e) {
      entry[which] = "invalid: " + e.message;
    }
  }
  report.push(entry);
}
process.stdout.write(JSON.stringify(report) + "\n");
