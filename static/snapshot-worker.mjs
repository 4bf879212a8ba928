/* Makes the memory snapshot of this build, off the main thread (see static/pyboot.mjs).
 * Message in: {build, cache, key, indexURL, sources: [[module, path, isPackage, text]],
 * zipped: [[module, path, isPackage]]}. Message out: {ok, bytes, compiled, used, budget, trace, ms}
 * or {ok: false, error}. */
import { loadPyodide } from "../pyodide/pyodide.mjs";

// What the first screen imports (app/web/main.py, store.py, views/cellules.py), minus app.web itself and
// pyodide.http/ffi users: nothing that holds a JavaScript object may exist in a snapshot.
const PREPARE = `
import os, sys, sysconfig, zipfile
site = sysconfig.get_paths()["purelib"]
for name in sorted(os.listdir("/tmp/wheels")):
    with zipfile.ZipFile("/tmp/wheels/" + name) as wheel:
        wheel.extractall(site)
import importlib
importlib.invalidate_caches()
import json
from app.web import preload
`;
const PREPARE_REST = `
import asyncio, base64, zlib
import app._build
from app.core import actions, clock, document, errors, grid, i18n, merge, model, payload, schema
schema.schema_validators()  # the compiled validators of the format live in the snapshot too
with open("/tmp/fwb_grid.json", encoding="utf-8") as f:
    preload.parse_grid(f.read())  # the grid, indexed once, in the snapshot
preload.precompile(("app",))  # app.web.*, compiled: imported without compiling (the 30 MiB cap:
preload.keep_wheels("/tmp/wheels")  # see pyboot.mjs) and the lazy libraries, as their wheels
`;

// The heap a snapshot may hold. Pyodide's initial memory is 30 MiB; static/pyboot.mjs grows the
// memory before a restore, but each MiB more is read, hashed and copied at every boot. Modules are
// added one at a time while the heap's break stays HEAP_MARGIN under the cap.
const MAX_HEAP = 40 << 20;
const HEAP_MARGIN = 2 << 20;
const brk = (py) => { try { return py._module._sbrk(0); } catch (e) { return 0; } };

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

self.onmessage = async ({ data: { build, cache, key, indexURL, sources = [], zipped = [] } }) => {
  const t0 = performance.now();
  try {
    const lock = await (await fetch(`${indexURL}pyodide-lock.json`)).json();
    const py = await loadPyodide({ indexURL, _makeSnapshot: true });
    const budget = Math.max(MAX_HEAP, py._module.HEAP8.length);
    py.FS.mkdirTree("/tmp/wheels");
    for (const entry of Object.values(lock.packages)) {
      const response = await fetch(indexURL + entry.file_name);
      if (!response.ok) throw new Error(`${entry.file_name}: HTTP ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if ((await sha256(bytes)) !== entry.sha256) throw new Error(`${entry.file_name}: wrong sha256`);
      py.FS.writeFile(`/tmp/wheels/${entry.file_name}`, bytes);
    }
    const grid = await fetch(new URL("../data/fwb_grid.json", import.meta.url));
    if (!grid.ok) throw new Error(`grid: HTTP ${grid.status}`);
    py.FS.writeFile("/tmp/fwb_grid.json", new Uint8Array(await grid.arrayBuffer()));
    py.runPython(PREPARE);
    // The standard-library modules the page imported from Pyodide's zip, compiled (pyodide.* touch
    // js: not executed here), one at a time while the heap allows. First, while the heap is young:
    // compiling html.entities' tables takes 3.4 MB for a moment, which the imports below then
    // reuse (done after them, the heap grew past the initial 30 MiB and the snapshot to 37.7 MB).
    const trace = [["installed", brk(py)]];
    for (const [name, path, isPackage] of zipped) {
      if (brk(py) > budget - HEAP_MARGIN) { trace.push(["stopped", brk(py)]); break; }
      py.globals.set("_module", JSON.stringify([name, path, isPackage]));
      if (py.runPython("preload.precompile_zipped([json.loads(_module)])")) trace.push([name, brk(py)]);
    }
    py.runPython(PREPARE_REST);
    trace.push(["prepared", brk(py)]);
    // PyScript's own modules, as the page wrote them (pyboot.mjs): compiled, not imported (they use js).
    for (const [, path, , text] of sources) {
      py.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
      py.FS.writeFile(path, text);
    }
    py.globals.set("_sources", JSON.stringify(sources.map(([name, path, isPackage]) => [name, path, isPackage])));
    const compiled = py.runPython("import json; preload.precompile_files(json.loads(_sources))");
    if (py.runPython("app._build.BUILD") !== build) throw new Error("wheel of another build");
    const heap = py._module.HEAP8.length;
    const used = brk(py);  // the heap in use, against the budget: bench/boot.py prints the margin
    if (heap > budget) throw new Error(`heap of ${heap} bytes (break ${used}), over the ${budget} allowed: import less; ${JSON.stringify(trace)}`);
    const snapshot = py.makeMemorySnapshot();
    const store = await caches.open(cache);
    await store.put(key, new Response(snapshot, {
      headers: { "content-type": "application/octet-stream", "x-build": build, "x-sha256": await sha256(snapshot) },
    }));
    self.postMessage({ ok: true, bytes: snapshot.length, compiled, used, budget, trace, ms: Math.round(performance.now() - t0) });
  } catch (e) {
    self.postMessage({ ok: false, error: String(e && e.message ? e.message : e) });
  }
};
