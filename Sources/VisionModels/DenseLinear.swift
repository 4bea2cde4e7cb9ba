import CKernels
import COpenBLAS
import Tensors

/// A Linear layer `y = W x + b`, applied to all tokens of a sequence at once as one sgemm split
/// by output rows of `W` over the compute pool.
struct DenseLinear: Sendable {
    /// `outputs × inputs` (PyTorch layout) in its stored type, a view its source keeps alive.
    let weight: WeightMatrix
    let bias: FloatBuffer?

    var outputs: Int { weight.rows }
    var inputs: Int { weight.columns }

    /// Weight rows widened to f32 at a time by each thread when the weights are not f32: the
    /// tile (at most 64 × 6144 floats, 1.5 MB) stays in cache while sgemm streams the tokens
    /// past it, and a multiple of 16 keeps OpenBLAS on its full-width kernels.
    static let tileRows = 64

    /// `output[t * outputStride + o] = Σ_i input[t * inputStride + i] W[o, i] + b[o]` for
    /// `rows` tokens.
    func apply(_ input: UnsafePointer<Float>, inputStride: Int, rows: Int,
               into output: UnsafeMutablePointer<Float>, outputStride: Int, pool: ComputePool) {
        guard rows > 0, outputs > 0 else { return }
        let weight = self.weight
        let columns = weight.columns
        let isF32 = weight.type == .f32
        let tileRows = Self.tileRows
        // Each thread runs a single-threaded sgemm on its share of the outputs: OpenBLAS's own
        // threads stay at one (as MatrixMultiplier sets them), so they never compete with the pool.
        pool.parallelFor(outputs, granularity: tileRows) { range in
            let tile = isF32 ? nil : UnsafeMutablePointer<Float>.allocate(capacity: tileRows * columns)
            defer { tile?.deallocate() }
            var row = range.lowerBound
            while row < range.upperBound {
                let count = isF32 ? range.upperBound - row : min(tileRows, range.upperBound - row)
                let rowsF32: UnsafePointer<Float>
                if let tile {
                    weight.dequantizeRows(row..<(row + count), into: tile)
                    rowsF32 = UnsafePointer(tile)
                } else {
                    rowsF32 = weight.data.assumingMemoryBound(to: Float.self) + row * columns
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                            blasint(rows), blasint(count), blasint(columns),
                            1, input, blasint(inputStride), rowsF32, blasint(columns),
                            0, output + row, blasint(outputStride))
                row += count
            }
            if let bias {
                for t in 0..<rows {
                    ck_add_f32(output + t * outputStride + range.lowerBound, bias.pointer + range.lowerBound,
                               Int64(range.count))
                }
            }
        }
    }

    /// Contiguous rows in and out.
    func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
               pool: ComputePool) {
        apply(input, inputStride: inputs, rows: rows, into: output, outputStride: outputs, pool: pool)
    }
}
