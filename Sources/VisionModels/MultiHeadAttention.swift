import CKernels
import COpenBLAS
import Tensors

/// Scaled dot-product attention over several heads with no mask, the kind both the ViT and the
/// Q-Former use: for each head, `softmax(Q Kᵀ · scale) V`, the heads spread over the pool.
enum MultiHeadAttention {
    /// Where one operand's rows live: head `h` of token `t` starts at `base + t * stride + h * headDimension`.
    struct Operand {
        let base: UnsafePointer<Float>
        let stride: Int
    }

    /// - Parameters:
    ///   - queries: `queryCount` rows; `keys` and `values`: `keyCount` rows.
    ///   - output: receives head `h` of token `t` at `output + t * outputStride + h * headDimension`.
    static func attend(queries: Operand, keys: Operand, values: Operand,
                       queryCount: Int, keyCount: Int, heads: Int, headDimension: Int,
                       into output: UnsafeMutablePointer<Float>, outputStride: Int, pool: ComputePool) {
        let scale = Float(1.0 / Double(headDimension).squareRoot())
        let scoreCount = queryCount * keyCount
        let scratch = FloatBuffer(count: scoreCount * pool.threadCount)
        pool.run { part, parts in
            let scores = scratch.pointer + part * scoreCount
            for head in ComputePool.split(heads, parts: parts, part: part) {
                let offset = head * headDimension
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                            blasint(queryCount), blasint(keyCount), blasint(headDimension),
                            scale, queries.base + offset, blasint(queries.stride),
                            keys.base + offset, blasint(keys.stride), 0, scores, blasint(keyCount))
                for row in 0..<queryCount { ck_softmax_f32(scores + row * keyCount, Int64(keyCount)) }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                            blasint(queryCount), blasint(headDimension), blasint(keyCount),
                            1, scores, blasint(keyCount), values.base + offset, blasint(values.stride),
                            0, output + offset, blasint(outputStride))
            }
        }
    }
}
