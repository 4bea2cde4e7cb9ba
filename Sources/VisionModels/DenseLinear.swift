import CKernels
import COpenBLAS
import Tensors

/// A Linear layer `y = W x + b` in f32, applied to all tokens of a sequence at once as one
/// sgemm split by output columns over the compute pool.
struct DenseLinear: Sendable {
    /// Row-major `outputs × inputs` (PyTorch layout).
    let weight: FloatBuffer
    let bias: FloatBuffer?
    let outputs: Int
    let inputs: Int

    /// `output[t * outputStride + o] = Σ_i input[t * inputStride + i] W[o, i] + b[o]` for
    /// `rows` tokens.
    func apply(_ input: UnsafePointer<Float>, inputStride: Int, rows: Int,
               into output: UnsafeMutablePointer<Float>, outputStride: Int, pool: ComputePool) {
        DenseLinear.multiply(input, inputStride: inputStride, rows: rows, weight: weight.pointer,
                             outputs: outputs, inputs: inputs, into: output, outputStride: outputStride,
                             pool: pool)
        if let bias {
            for t in 0..<rows { ck_add_f32(output + t * outputStride, bias.pointer, Int64(outputs)) }
        }
    }

    /// Contiguous rows in and out.
    func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
               pool: ComputePool) {
        apply(input, inputStride: inputs, rows: rows, into: output, outputStride: outputs, pool: pool)
    }

    /// `C = A · Bᵀ` with `A` `rows × inputs` and `B` `outputs × inputs`. Each pool thread runs a
    /// single-threaded sgemm on its share of the output columns (OpenBLAS's own threads stay at
    /// one, as `MatrixMultiplier` sets them, so they never compete with the pool's).
    static func multiply(_ a: UnsafePointer<Float>, inputStride: Int, rows: Int,
                         weight: UnsafePointer<Float>, outputs: Int, inputs: Int,
                         into c: UnsafeMutablePointer<Float>, outputStride: Int, pool: ComputePool) {
        guard rows > 0, outputs > 0 else { return }
        // Column shares in multiples of 16 keep OpenBLAS on its full-width kernels.
        pool.parallelFor(outputs, granularity: 16) { range in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                        blasint(rows), blasint(range.count), blasint(inputs),
                        1, a, blasint(inputStride), weight + range.lowerBound * inputs, blasint(inputs),
                        0, c + range.lowerBound, blasint(outputStride))
        }
    }
}
