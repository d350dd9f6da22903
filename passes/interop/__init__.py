"""Interoperation with upstream MLIR: linalg import and the export to upstream
dialects (convert-linalg-to-isa, convert-accel-to-mlir)."""
