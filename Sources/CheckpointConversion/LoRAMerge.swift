import COpenBLAS

/// Folds a LoRA adapter into its base weight: `W' = W + scale * B @ A`, in f32.
///
/// InternLM-XComposer ships the adapters unmerged (rank 256 on q, v, up and down); merging
/// once at conversion removes four extra matrix products per layer at inference and makes the
/// layer an ordinary LLaMA-style one. The product goes through OpenBLAS: for the real model's
/// 11008x4096 matrices it is 23 GFLOP per adapter.
public enum LoRAMerge {
    /// Adds `scale * B @ A` to `weight` in place.
    /// - Parameters:
    ///   - weight: `rows x columns`, row-major (PyTorch's `[out, in]`).
    ///   - a: `rank x columns` (`lora_A.weight`).
    ///   - b: `rows x rank` (`lora_B.weight`).
    public static func merge(into weight: UnsafeMutablePointer<Float>, rows: Int, columns: Int,
                             a: UnsafePointer<Float>, b: UnsafePointer<Float>, rank: Int, scale: Float) {
        guard rows > 0, columns > 0, rank > 0 else { return }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                    Int32(rows), Int32(columns), Int32(rank),
                    scale, b, Int32(rank), a, Int32(columns),
                    1, weight, Int32(columns))
    }

    /// The same on arrays (for tests and small matrices).
    public static func merge(into weight: inout [Float], rows: Int, columns: Int, a: [Float], b: [Float],
                             rank: Int, scale: Float) {
        precondition(weight.count == rows * columns && a.count == rank * columns && b.count == rows * rank,
                     "LoRA merge operand sizes do not match")
        weight.withUnsafeMutableBufferPointer { w in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    merge(into: w.baseAddress!, rows: rows, columns: columns, a: a.baseAddress!, b: b.baseAddress!,
                          rank: rank, scale: scale)
                }
            }
        }
    }
}
