"""Pure core: no js, no I/O, no clock, no randomness (all passed in)."""
