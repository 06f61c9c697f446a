// Reads a DMN file and writes it again as the Apache KIE DMN editor saves it: parsed and written by
// @kie-tools/dmn-marshaller (the editor's own marshaller, same version), upgraded to the latest DMN version.
// Usage (after bundling, see build.mjs): node target/web/dmn-roundtrip.cjs IN.dmn OUT.dmn
import "@kie-tools/xml-parser-ts/dist/node/index.js"; // the node entry: parses with jsdom instead of a browser's DOMParser
import { getMarshaller, DMN_LATEST_VERSION } from "@kie-tools/dmn-marshaller";
import { readFileSync, writeFileSync } from "node:fs";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: dmn-roundtrip IN.dmn OUT.dmn");
  process.exit(2);
}
const marshaller = getMarshaller(readFileSync(input, "utf8"), { upgradeTo: "latest" });
writeFileSync(output, marshaller.builder.build(marshaller.parser.parse()), "utf8");
console.log(`${input}: DMN ${marshaller.originalVersion} -> ${DMN_LATEST_VERSION}: ${output}`);
