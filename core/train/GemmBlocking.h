#pragma once
// The GEMM's block sizes (GemmKernel.h loops by them) and the packing buffer they need, in one
// place: the buffer Gemm.cpp allocates must fit what the kernel writes, for every build of it.
// No intrinsics here, so any file may include it.

#include <algorithm>
#include <cstddef>

namespace lb::train {

constexpr int kGemmChunk = 256;     // KC: rows of op(B) per packed chunk
constexpr int kGemmBlockRows = 144; // MC: rows of A per block (a multiple of 6 and 8), 144 KB packed
constexpr int kGemmBlockCols = 256; // NC: columns of B per block (a multiple of 16 and 32), 256 KB
// packed: an A block and a B block fit a 512 KB L2 together.

// Columns of B per block: one block when A is a single block of rows (each packed panel is then
// read once anyway, and more blocks would only pack A again per block).
constexpr int gemmColsPerBlock(int m, int n) {
    return m <= kGemmBlockRows ? n : kGemmBlockCols;
}

// Floats the packed operands of an m x n product take: one block of A first, then one block of
// B's columns in panels of panelCols (zero-padded to whole panels).
constexpr std::size_t gemmPackedAFloats = std::size_t(kGemmBlockRows) * kGemmChunk;
constexpr std::size_t gemmPackFloats(int panelCols, int m, int n) {
    const std::size_t cols = std::size_t(std::min(gemmColsPerBlock(m, n), n));
    const std::size_t panel = std::size_t(panelCols);
    return gemmPackedAFloats + (cols + panel - 1) / panel * panel * kGemmChunk;
}

} // namespace lb::train
