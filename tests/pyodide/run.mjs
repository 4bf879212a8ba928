// Run the pure-Python test-suite inside Pyodide (Python 3.14) under Node, with the very files the
// browser gets: build/site/pyodide (our lock, our wheels, the app wheel). The browser's Python is
// not the machine's: a library can pass natively and fail here.
//   node tests/pyodide/run.mjs [pytest args...]     (default: tests/core)
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const site = path.join(repo, "build/site");
const testWheels = path.join(repo, ".cache/wheels/pyodide-tests");

const { loadPyodide } = await import(pathToFileURL(path.join(site, "pyodide/pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: path.join(site, "pyodide") + "/" });
await py.loadPackage("cellules-fwb", { messageCallback: () => {} });
py.FS.mkdirTree("/repo");
py.mountNodeFS("/repo", repo);
py.FS.mkdirTree("/wheels");
py.mountNodeFS("/wheels", testWheels);
const wheels = readdirSync(testWheels).filter((f) => f.endsWith(".whl"));
if (wheels.length === 0) throw new Error(`no test wheels in ${testWheels}: run make test`);

const args = process.argv.slice(2);
py.globals.set("pytest_args", py.toPy((args.length ? args : ["tests/core"]).map((a) => (a.startsWith("-") ? a : "/repo/" + a))));
py.globals.set("wheel_names", py.toPy(wheels));
const code = await py.runPythonAsync(`
import os, sys, site, zipfile
target = site.getsitepackages()[0]
for name in wheel_names:
    zipfile.ZipFile("/wheels/" + name).extractall(target)
os.environ.setdefault("HYPOTHESIS_PROFILE", "pyodide")
os.chdir("/tmp")  # so that app comes from the installed wheel, as in the browser
import app, pytest
print(f"Pyodide: Python {sys.version.split()[0]} on {sys.platform}; app from {app.__file__}", flush=True)
assert app.__file__.startswith(site.getsitepackages()[0]), app.__file__
int(pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir=/repo", "-c", "/repo/pyproject.toml", *pytest_args]))
`);
process.exit(code);
