// REQUIRES: mlir-tools
// The import test files in upstream's generic form, printed by the real mlir-opt
// (LLVM 22), must import to the same kernels as their hand-written pretty form:
// each file's own CHECK lines (which capture names, as mlir-opt renames values).
//
// RUN: %mlir-opt %S/matmul.mlir --mlir-print-op-generic | isamapper-opt -p convert-linalg-to-isa | filecheck %S/matmul.mlir
// RUN: %mlir-opt %S/conv.mlir --mlir-print-op-generic | isamapper-opt -p convert-linalg-to-isa | filecheck %S/conv.mlir
// RUN: %mlir-opt %S/depthwise.mlir --mlir-print-op-generic | isamapper-opt -p convert-linalg-to-isa | filecheck %S/depthwise.mlir
// RUN: %mlir-opt %S/elementwise.mlir --mlir-print-op-generic | isamapper-opt -p convert-linalg-to-isa | filecheck %S/elementwise.mlir
// RUN: %mlir-opt %S/named_elementwise.mlir --mlir-print-op-generic | isamapper-opt -p convert-linalg-to-isa | filecheck %S/named_elementwise.mlir
// RUN: %mlir-opt %S/fill.mlir --mlir-print-op-generic | isamapper-opt -p convert-linalg-to-isa | filecheck %S/fill.mlir
// RUN: %mlir-opt %S/memref_copy.mlir --mlir-print-op-generic | isamapper-opt -p convert-linalg-to-isa | filecheck %S/memref_copy.mlir
// RUN: %mlir-opt %S/in_place.mlir --mlir-print-op-generic | isamapper-opt -p convert-linalg-to-isa | filecheck %S/in_place.mlir
// RUN: %mlir-opt %S/dwsep.mlir --mlir-print-op-generic | isamapper-opt -p convert-linalg-to-isa | filecheck %S/dwsep.mlir
//
// And mlir-opt's pretty form (its names and its printing of the maps):
// RUN: %mlir-opt %S/matmul.mlir | isamapper-opt -p convert-linalg-to-isa | filecheck %S/matmul.mlir
// RUN: %mlir-opt %S/depthwise.mlir | isamapper-opt -p convert-linalg-to-isa | filecheck %S/depthwise.mlir
// RUN: %mlir-opt %S/dwsep.mlir | isamapper-opt -p convert-linalg-to-isa | filecheck %S/dwsep.mlir
//
// Stock xdsl-opt reads the generic form too, except that it does not know the
// depthwise convolution: with --allow-unregistered-dialect that op is unregistered
// and the pass computes its maps from its strides and dilations. (It also rejects
// a convolution without strides, conv.mlir's @conv_default: xDSL's verifier wants
// them; isamapper-opt defaults them to 1 as upstream does.)
// RUN: %mlir-opt %S/depthwise.mlir --mlir-print-op-generic | xdsl-opt --allow-unregistered-dialect -p convert-linalg-to-isa | filecheck %S/depthwise.mlir
// RUN: %mlir-opt %S/dwsep.mlir --mlir-print-op-generic | xdsl-opt --allow-unregistered-dialect -p convert-linalg-to-isa | filecheck %S/dwsep.mlir
// RUN: %mlir-opt %S/matmul.mlir --mlir-print-op-generic | xdsl-opt -p convert-linalg-to-isa | filecheck %S/matmul.mlir
// RUN: %mlir-opt %S/elementwise.mlir --mlir-print-op-generic | xdsl-opt -p convert-linalg-to-isa | filecheck %S/elementwise.mlir
// RUN: %mlir-opt %S/fill.mlir --mlir-print-op-generic | xdsl-opt -p convert-linalg-to-isa | filecheck %S/fill.mlir
// RUN: %mlir-opt %S/memref_copy.mlir --mlir-print-op-generic | xdsl-opt -p convert-linalg-to-isa | filecheck %S/memref_copy.mlir
// RUN: %mlir-opt %S/named_elementwise.mlir --mlir-print-op-generic | xdsl-opt -p convert-linalg-to-isa | filecheck %S/named_elementwise.mlir
// RUN: %mlir-opt %S/in_place.mlir --mlir-print-op-generic | xdsl-opt -p convert-linalg-to-isa | filecheck %S/in_place.mlir
