// CRuby 3.4's answers for the differential suite (crates/kobako/tests/cruby_differential.rs).
//
// Reads every case in cases/*.rb (one case per line; blank lines and lines
// starting with `#` are skipped), wraps each in the same script the Rust
// test gives the sandbox, evaluates them all in one CRuby 3.4 (ruby.wasm
// under node's WASI) and prints one JSON object {"<area>:<line>": "<inspect
// string>"} on stdout.
//
// Isolation: each case is compiled as its own top-level script
// (RubyVM::InstructionSequence#eval), so it starts with no local variables;
// the constants and top-level methods it defines (those whose source is the
// case) are removed again afterwards. Global variables are left alone
// (resetting new ones broke $/ through English's aliases), so cases should
// use their own names.
// Libraries it requires stay loaded, as does anything a case adds to a core
// class, so cases should not reopen core classes. The guest side needs none
// of this: every sandbox invocation starts from a clean interpreter.
//
// Usage: node expect.mjs [cases-dir]
// KOBAKO_EXPECT_TRACE=1 names each case on stderr before running it.

import { readFileSync, readdirSync, writeSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { WASI } from "node:wasi";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { RubyVM } from "@ruby/wasm-wasi";

const here = dirname(fileURLToPath(import.meta.url));

// The wrapper. Keep it byte-for-byte equal to `wrap` in cruby_differential.rs.
export function wrap(source) {
  return (
    "__kobako_r = begin\n" +
    "  __kobako_v = -> do\n" +
    source +
    "\n  end.call\n" +
    "  __kobako_v.inspect\n" +
    "rescue Exception => __kobako_e\n" +
    '  "!" + __kobako_e.class.name.to_s\n' +
    "end\n" +
    "__kobako_r\n"
  );
}

// [[area, [{id, source}]]] for every cases/<area>.rb, in name order.
function readCases(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".rb")).sort();
  return files.map((file) => {
    const area = basename(file, ".rb");
    const lines = readFileSync(join(dir, file), "utf8").split("\n");
    const cases = [];
    lines.forEach((line, i) => {
      const trimmed = line.trim();
      if (trimmed === "" || trimmed.startsWith("#")) return;
      cases.push({ id: `${area}:${i + 1}`, source: line });
    });
    return [area, cases];
  });
}

// Runs one wrapped case as a fresh top-level script and undoes the
// top-level definitions it made.
const DRIVER = `
$VERBOSE = nil
# Output never leaves Ruby: with cases writing through WASI (puts, warn,
# abort...) node 20 crashed with SIGSEGV after a few hundred cases.
require "stringio"
$stdout = StringIO.new
$stderr = StringIO.new
Object.send(:remove_const, :STDOUT)
Object.send(:remove_const, :STDERR)
STDOUT = $stdout
STDERR = $stderr
def __kobako_case(hex)
  src = [hex].pack("H*").force_encoding(Encoding::UTF_8)
  $stdout.truncate(0); $stdout.rewind
  $stderr.truncate(0); $stderr.rewind
  begin
    RubyVM::InstructionSequence.compile(src, "case.rb", "case.rb", 1).eval.to_s
  rescue SyntaxError
    "!SyntaxError"
  rescue Exception => e
    "!driver:" + e.class.name.to_s
  ensure
    # What the case itself defined (not what a library it required did).
    Object.constants.each do |c|
      Object.send(:remove_const, c) if Object.const_source_location(c)&.first == "case.rb"
    end
    (Object.private_instance_methods(false) + Object.instance_methods(false)).each do |m|
      Object.send(:remove_method, m) if Object.instance_method(m).source_location&.first == "case.rb"
    end
  end
end
`;

// A fresh CRuby with the driver loaded, in UTC. The driver keeps the cases'
// output in StringIOs; anything else Ruby writes goes to this process's
// stderr, so that its stdout carries only the JSON.
async function freshRuby(module) {
  const wasi = new WASI({
    version: "preview1",
    returnOnExit: true,
    env: { TZ: "UTC", LANG: "C.UTF-8" },
    stdout: 2,
    stderr: 2,
  });
  const { vm } = await RubyVM.instantiateModule({ module, wasip1: wasi });
  vm.eval(DRIVER);
  const version = vm.eval("RUBY_VERSION").toString();
  if (!version.startsWith("3.4.")) {
    throw new Error(`expected CRuby 3.4, got ${version}`);
  }
  const offset = vm.eval("Time.at(1_700_000_000).utc_offset").toString();
  if (offset !== "0") {
    throw new Error(`expected local time to be UTC, got an offset of ${offset} s`);
  }
  return vm;
}

// Evaluates every case (in the worker thread) and returns {id: answer}.
async function evaluateAll(casesDir) {
  const wasmPath = join(here, "node_modules", "@ruby", "3.4-wasm-wasi", "dist", "ruby+stdlib.wasm");
  const module = await WebAssembly.compile(readFileSync(wasmPath));
  const trace = process.env.KOBAKO_EXPECT_TRACE === "1";
  const results = {};
  // One interpreter for all (starting one takes seconds); __kobako_case
  // isolates the cases.
  const vm = await freshRuby(module);
  for (const [, cases] of readCases(casesDir)) {
    for (const { id, source } of cases) {
      if (trace) writeSync(2, `${id}\n`);
      const hex = Buffer.from(wrap(source), "utf8").toString("hex");
      results[id] = vm.eval(`__kobako_case("${hex}")`).toString();
    }
  }
  return results;
}

// CRuby's recursion runs on the native stack of the thread that calls into
// wasm; on the main thread deep Ruby recursion (a 40-level Hash default
// proc) crashed node with SIGSEGV, so the work happens in a worker thread
// with a larger stack.
function runInWorker(casesDir) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), {
      workerData: { casesDir },
      resourceLimits: { stackSizeMb: 64 },
    });
    worker.on("message", resolve);
    worker.on("error", reject);
    worker.on("exit", (code) => reject(new Error(`worker exited with code ${code}`)));
  });
}

function fail(e) {
  process.stderr.write(`expect.mjs: ${e.stack ?? e}\n`);
  process.exit(1);
}

if (isMainThread) {
  const casesDir = process.argv[2] ?? join(here, "cases");
  runInWorker(casesDir)
    .then((results) => process.stdout.write(JSON.stringify(results) + "\n"))
    .catch(fail);
} else {
  evaluateAll(workerData.casesDir)
    .then((results) => parentPort.postMessage(results))
    .catch(fail);
}
