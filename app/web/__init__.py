"""Browser adapter (PyScript): the only package that imports `js` or `pyscript`."""
