// Build step of the npm part (run by Maven through exec-maven-plugin with the system node):
// 1. installs the packages pinned in package-lock.json with `npm ci`, only when node_modules does not hold exactly
//    them (a stamp records the lock it was installed from), so later builds work offline;
// 2. bundles the DMN round-trip script for node into OUT_DIR (jsdom stays outside the bundle: it loads files of its
//    own at run time; run the bundle with NODE_PATH=web/node_modules);
// 3. copies the DMN editor (@kie-tools/dmn-editor-standalone: one script that carries its own iframe) and its licence
//    into CLASSES_DIR/workbench/, so that `valuetier serve` serves it from the jar at /workbench.
// Usage: node web/build.mjs OUT_DIR CLASSES_DIR
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, "..", "target", "web"));
const classesDir = resolve(process.argv[3] ?? join(here, "..", "target", "classes"));
const stamp = join(here, "node_modules", ".valuetier-installed");
const lock = createHash("sha256")
  .update(readFileSync(join(here, "package.json")))
  .update(readFileSync(join(here, "package-lock.json")))
  .digest("hex");

if (!existsSync(stamp) || readFileSync(stamp, "utf8").trim() !== lock) {
  console.log("web: installing the npm packages pinned in web/package-lock.json (npm ci)");
  const npm = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: here, stdio: "inherit" });
  if (npm.error || npm.status !== 0) {
    console.error(
      "web: npm ci failed" + (npm.error ? ` (${npm.error.message})` : ` (exit ${npm.status})`) +
        ": the first build needs the npm registry (https://registry.npmjs.org) and the Debian packages nodejs and npm;" +
        " later builds reuse web/node_modules offline",
    );
    process.exit(1);
  }
  writeFileSync(stamp, lock + "\n");
}

const esbuild = await import(pathToFileURL(join(here, "node_modules", "esbuild", "lib", "main.js")).href);
await esbuild.build({
  entryPoints: [join(here, "dmn-roundtrip.mjs")],
  bundle: true,
  platform: "node",
  format: "cjs",
  external: ["jsdom"],
  outfile: join(outDir, "dmn-roundtrip.cjs"),
  logLevel: "warning",
});

const editor = join(here, "node_modules", "@kie-tools", "dmn-editor-standalone");
const workbench = join(classesDir, "workbench");
mkdirSync(workbench, { recursive: true });
copyFileSync(join(editor, "dist", "index.js"), join(workbench, "dmn-editor-standalone.js"));
copyFileSync(join(editor, "LICENSE"), join(workbench, "dmn-editor-standalone.LICENSE.txt"));
