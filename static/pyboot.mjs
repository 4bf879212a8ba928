/* PyScript's interpreter module (pyscript.json "interpreter"): Pyodide's own loadPyodide, but
 * restored from a memory snapshot of this build when one is stored.
 *
 * Theory of operation.
 *  - Where the snapshot comes from: after a normal boot, once the service worker controls the page
 *    and holds this build's cache, static/snapshot-worker.mjs (a Web Worker, off the main thread)
 *    boots a second Pyodide with _makeSnapshot, unpacks our wheels with Python's zipfile (loadPackage
 *    leaves JavaScript references that makeMemorySnapshot refuses), imports the pure modules the
 *    first screen needs, compiles (without importing) app.web.* and PyScript's own modules (their
 *    sources sent by this page), and stores makeMemorySnapshot() in Cache Storage, in the service worker's
 *    cache of this build ("cellules-fwb-<build>"), with its build and SHA-256 in headers. Nothing
 *    extra travels on the wire; an update's worker deletes the old cache, snapshot included.
 *    Why in the browser rather than at build time: a snapshot is 31.5 MB (7.6 MB gzip) and would
 *    more than double a first visit (6.3 MB); made here it costs no bytes on the wire, and its
 *    frozen hash seed is this device's own, not one every peer could read in the shipped file.
 *  - Restoring: the snapshot is used only if its build header is this page's build and its bytes
 *    hash to the stored SHA-256 (read and hashed in a worker that static/boot.js starts while
 *    PyScript loads); then Python itself must confirm app._build.BUILD is this build.
 *    Files on the Emscripten FS are not part of the memory, but nothing is installed again (that
 *    was 1.2 s at CPU x4): app.web.* are imported from code compiled into the snapshot, and the
 *    libraries imported later (segno, jsonschema…) straight from their wheels, kept in the
 *    snapshot and written back as they are (app/web/preload.py). `random` is reseeded (the
 *    snapshot froze its state; os.urandom always asks the browser's crypto).
 *  - Pyodide 314 restores into the memory the wasm module exports (30 MiB at first, whatever
 *    INITIAL_MEMORY says) and failed with "offset is out of bounds" when the snapshot's heap had
 *    grown past it: growMemoryFor grows that memory first. The worker still caps the heap
 *    (static/snapshot-worker.mjs, MAX_HEAP): a bigger snapshot is longer to read, hash and copy.
 *  - Anything wrong (missing, stale, corrupt, refused by Pyodide) deletes the snapshot and boots
 *    normally, silently: the console gets one warning, the user sees nothing.
 *  - window.cellulesBoot = {mode: "snapshot" | "normal", reason} for tests and bench/boot.py.
 */
import { loadPyodide as pyodideLoad, version } from "../pyodide/pyodide.mjs";

export { version };

const INDEX_URL = new URL("../pyodide/", import.meta.url).href;
const BUILD = document.documentElement.dataset.build;
export const SNAPSHOT_CACHE = `cellules-fwb-${BUILD}`;
// static/boot.js starts reading it early; Pyodide itself refuses a snapshot of another Pyodide build.
export const SNAPSHOT_KEY = new URL("./__snapshot__/pyodide.bin", document.baseURI).href;
const boot = (window.cellulesBoot = { mode: "normal", reason: "", marks: {} });
const mark = (name) => { boot.marks[name] = Math.round(performance.now()); };

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function readSnapshot() {
  // static/boot.js read and hashed it in a worker while PyScript loaded; read here if it could not.
  const early = window.cellulesSnapshotRead && (await window.cellulesSnapshotRead);
  if (early) {
    if (early.reason) return [null, early.reason];
    if (early.build !== BUILD) return [null, "other build"];
    if (!early.ok) return [null, "corrupt"];
    return [new Uint8Array(early.bytes), ""];
  }
  if (!("caches" in window) || !(await caches.has(SNAPSHOT_CACHE))) return [null, "no cache"];
  const hit = await (await caches.open(SNAPSHOT_CACHE)).match(SNAPSHOT_KEY);
  if (!hit) return [null, "no snapshot"];
  if (hit.headers.get("x-build") !== BUILD) return [null, "other build"];
  const bytes = new Uint8Array(await hit.arrayBuffer());
  if ((await sha256(bytes)) !== hit.headers.get("x-sha256")) return [null, "corrupt"];
  return [bytes, ""];
}

async function dropSnapshot() {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    await cache.delete(SNAPSHOT_KEY);
  } catch (e) { /* nothing to drop */ }
}

// Run in the restored interpreter before anyone else uses it.
const AFTER_RESTORE = `
import random
from app._build import BUILD as _snapshot_build
if _snapshot_build != ${JSON.stringify(BUILD)}:
    raise RuntimeError("snapshot of build " + _snapshot_build)
random.seed()
del _snapshot_build
from app.web import preload as _preload
_preload.restore_files()
del _preload
`;

// Pyodide 314 copies a snapshot's heap into the memory the wasm module exports, which starts at
// 30 MiB whatever INITIAL_MEMORY says: a snapshot of a heap that grew past it failed with "offset
// is out of bounds". So while our loadPyodide instantiates the module, the module's memory is
// grown to the snapshot's heap before Emscripten makes its views of it. Returns the undo.
function growMemoryFor(bytes) {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, 2);
  const heap = bytes.length - words[1];  // [magic, header size, ...]: the heap follows the header
  const wasm = WebAssembly;
  const originals = { instantiate: wasm.instantiate, instantiateStreaming: wasm.instantiateStreaming };
  const grow = (result) => {
    const memory = result && result.instance && result.instance.exports.memory;
    if (memory instanceof WebAssembly.Memory && memory.buffer.byteLength < heap) {
      memory.grow(Math.ceil((heap - memory.buffer.byteLength) / 65536));
    }
    return result;
  };
  for (const name of Object.keys(originals)) {
    wasm[name] = (...args) => originals[name].apply(wasm, args).then(grow);
  }
  return () => Object.assign(wasm, originals);
}

export async function loadPyodide(options = {}) {
  const { indexURL, packages, ...rest } = options;
  let bytes = null;
  let reason = "";
  mark("pyboot");
  try {
    [bytes, reason] = await readSnapshot();
    mark("snapshot_read");
  } catch (e) {
    reason = `unreadable: ${e}`;
  }
  if (bytes) {
    const restoreHook = growMemoryFor(bytes);
    try {
      const py = await pyodideLoad({ ...rest, indexURL: INDEX_URL, _loadSnapshot: bytes });
      restoreHook();
      mark("restored");
      await new Promise((resolve) => setTimeout(resolve));  // a break for the page between two long tasks
      py.runPython(AFTER_RESTORE);
      mark("after_restore");
      boot.mode = "snapshot";
      return py;
    } catch (e) {
      restoreHook();
      reason = `refused: ${e && e.message ? e.message.split("\n")[0] : e}`;
      await dropSnapshot();
    }
  }
  if (reason !== "no cache" && reason !== "no snapshot") {
    console.warn(`memory snapshot not used (${reason}): normal boot`);
    if (reason === "other build" || reason === "corrupt") await dropSnapshot();
  }
  boot.reason = reason;
  const py = await pyodideLoad({ ...rest, indexURL: INDEX_URL, packages });
  mark("loaded");
  whenReady(() => makeSnapshotLater(packages, pyscriptSources(py), zippedModules(py)));
  return py;
}

function whenReady(callback) {
  const root = document.documentElement;
  if (root.dataset.appState === "ready") return callback();
  new MutationObserver((_, observer) => {
    if (root.dataset.appState === "booting") return;
    observer.disconnect();
    if (root.dataset.appState === "ready") callback();
  }).observe(root, { attributes: true, attributeFilter: ["data-app-state"] });
}

// PyScript writes its own Python package (pyscript.*) to the file system at every boot and imports
// it: the worker compiles those sources into the snapshot too (0.6 s of PyScript start-up at x4).
function pyscriptSources(py) {
  try {
    const files = JSON.parse(py.runPython(`import json, sys
json.dumps({n: [m.__file__, hasattr(m, "__path__")] for n, m in list(sys.modules.items())
            if n.split(".")[0] == "pyscript" and getattr(m, "__file__", None)})`));
    return Object.entries(files).map(([name, [path, isPackage]]) =>
      [name, path, isPackage, py.FS.readFile(path, { encoding: "utf8" })]);
  } catch (e) {
    console.warn(`PyScript's modules not read: ${e}`);
    return [];
  }
}

// The standard-library modules the boot imported from Pyodide's zip (csv, html, pyodide.http…):
// zipimport finds no .pyc there and compiled each one twice at every restored boot (0.7 s at x4,
// cProfile). The worker imports the pure ones into the snapshot and compiles the others.
function zippedModules(py) {
  try {
    return JSON.parse(py.runPython(`import json, sys
NOT_AT_RESTORE = ("tarfile",)  # the package loader's (3.4 MB of heap), never imported after a restore
json.dumps([[n, m.__file__, hasattr(m, "__path__")] for n, m in list(sys.modules.items())
            if ".zip/" in (getattr(m, "__file__", None) or "") and n.split(".")[0] not in NOT_AT_RESTORE])`));
  } catch (e) {
    console.warn(`standard-library modules not listed: ${e}`);
    return [];
  }
}

async function makeSnapshotLater(packages, sources, zipped) {
  // Only once this build's worker is in charge: its cache holds the wheels (no network) and is
  // deleted with the snapshot when the next build takes over.
  if (!("serviceWorker" in navigator) || !window.Worker) return;
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
  }
  if (!(await caches.has(SNAPSHOT_CACHE))) return;  // the worker in charge is another build's
  const worker = new Worker(new URL("./snapshot-worker.mjs", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }) => {
    boot.snapshot = data;
    if (!data.ok) console.warn(`memory snapshot not made: ${data.error}`);
    worker.terminate();
  };
  worker.postMessage({ build: BUILD, cache: SNAPSHOT_CACHE, key: SNAPSHOT_KEY, indexURL: INDEX_URL, packages, sources, zipped });
}
