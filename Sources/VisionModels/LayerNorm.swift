import CKernels
import Tensors

/// `y = (x − mean) / sqrt(var + ε) · w + b` over each row (the biased variance, as PyTorch).
struct LayerNorm: Sendable {
    let weight: FloatBuffer
    let bias: FloatBuffer
    let epsilon: Float

    var width: Int { weight.count }

    /// Normalises `rows` contiguous rows of `input` into `output` (which may be `input`).
    func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
               pool: ComputePool) {
        let d = width
        pool.parallelFor(rows) { range in
            for t in range {
                ck_layernorm_f32(input + t * d, weight.pointer, bias.pointer, output + t * d,
                                 Int64(d), epsilon)
            }
        }
    }
}
