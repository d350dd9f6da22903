"""Hardware descriptions (`*.mlir`) and the models that execute programs on them."""
