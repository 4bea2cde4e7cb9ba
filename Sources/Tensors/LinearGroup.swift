import CKernels

/// One or more weight matrices that read the same input and write fixed output buffers: the Q, K
/// and V projections of a layer, or its gate and up projections.
///
/// Everything a product needs besides the input (output pointers, strides, where each weight
/// type's prepared activations go) is worked out once here, when the model is loaded, so a decode
/// step allocates nothing and the threads meet once per group rather than once per matrix.
public final class LinearGroup: @unchecked Sendable {
    public let weights: [WeightMatrix]
    public let outputs: [UnsafeMutablePointer<Float>]
    public let outputStrides: [Int]
    /// Rows of all matrices together.
    let totalRows: Int
    /// For each weight: the index of its activation preparation in `preparations`.
    let preparationIndex: [Int]
    /// Distinct (type, columns) pairs, each with the byte stride of one prepared vector and the
    /// byte offset of its first vector in the multiplier's prepared-activation buffer.
    let preparations: [Preparation]
    /// Bytes of prepared activations for `MatrixMultiplier.directPathMaxVectors` vectors.
    let preparedBytes: [Int]

    struct Preparation {
        let type: Int32
        let columns: Int
        let stride: Int
        let offset: Int
    }

    /// - Parameters:
    ///   - outputs: one buffer per weight, receiving rows `v * outputStrides[i] + r`.
    public init(_ weights: [WeightMatrix], outputs: [UnsafeMutablePointer<Float>], outputStrides: [Int]) {
        precondition(!weights.isEmpty && weights.count == outputs.count && outputs.count == outputStrides.count)
        precondition(weights.allSatisfy { $0.columns == weights[0].columns }, "a group shares one input")
        self.weights = weights
        self.outputs = outputs
        self.outputStrides = outputStrides
        totalRows = weights.reduce(0) { $0 + $1.rows }
        // Lay out one block of prepared activations per distinct weight type, for the fast
        // (llama.cpp-style) mode first and then for the precise mode.
        var all: [Preparation] = []
        var bytes = [0, 0]
        var fastCount = 0
        for precise in 0...1 {
            var offset = 0
            let first = all.count
            for weight in weights where !all[first...].contains(where: { $0.type == weight.type.ckType }) {
                let size = Int(ck_act_bytes(weight.type.ckType, Int64(weight.columns), Int32(precise)))
                let stride = (size + 63) & ~63
                all.append(Preparation(type: weight.type.ckType, columns: weight.columns,
                                       stride: stride, offset: offset))
                offset += stride * MatrixMultiplier.directPathMaxVectors
            }
            bytes[precise] = offset
            if precise == 0 { fastCount = all.count }
        }
        preparations = all
        preparedBytes = bytes
        precisePreparationBase = fastCount
        preparationIndex = weights.map { weight in all[0..<fastCount].firstIndex { $0.type == weight.type.ckType }! }
    }

    /// Index in `preparations` where the precise-mode entries start.
    let precisePreparationBase: Int
}
