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
    /// The activation layout for each `Numerics` (index 0: llamaCpp, 1: precise).
    let plans: [Plan]

    /// How activations are prepared for one weight.
    enum Kernel: Equatable {
        /// llama.cpp-exact kernels (ck_lc_*), for the types they cover.
        case llamaExact
        /// The general kernels (ck_*) with `precise` 0 or 1.
        case general(precise: Int32)
    }

    struct Preparation {
        let kernel: Kernel
        let type: Int32
        let columns: Int
        /// Bytes of one prepared vector, rounded to a cache line.
        let stride: Int
        /// Byte offset of the first vector in the multiplier's prepared-activation buffer.
        let offset: Int
    }

    struct Plan {
        let preparations: [Preparation]
        /// For each weight, its entry in `preparations`.
        let preparationIndex: [Int]
        /// Bytes for `MatrixMultiplier.directPathMaxVectors` vectors of every preparation.
        let bytes: Int
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
        plans = [Numerics.llamaCpp, .precise].map { numerics in
            var preparations: [Preparation] = []
            var index: [Int] = []
            var offset = 0
            for weight in weights {
                let type = weight.type.ckType
                let kernel: Kernel = numerics == .precise ? .general(precise: 1)
                    : ck_lc_supported(type) != 0 ? .llamaExact : .general(precise: 0)
                if let existing = preparations.firstIndex(where: { $0.kernel == kernel && $0.type == type }) {
                    index.append(existing)
                    continue
                }
                let size: Int
                switch kernel {
                case .llamaExact: size = Int(ck_lc_act_bytes(type, Int64(weight.columns)))
                case let .general(precise): size = Int(ck_act_bytes(type, Int64(weight.columns), precise))
                }
                let stride = (size + 63) & ~63
                index.append(preparations.count)
                preparations.append(Preparation(kernel: kernel, type: type, columns: weight.columns,
                                                stride: stride, offset: offset))
                offset += stride * MatrixMultiplier.directPathMaxVectors
            }
            return Plan(preparations: preparations, preparationIndex: index, bytes: offset)
        }
    }

    func plan(for numerics: Numerics) -> Plan { plans[numerics == .llamaCpp ? 0 : 1] }
}
