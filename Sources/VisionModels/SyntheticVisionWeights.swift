import CKernels
import Tensors

/// Random vision weights of any configuration's sizes, held in memory in one stored type, for
/// timing the real-size tower without its checkpoint. Values are uniform in ±1/√inputs for
/// matrices (so activations stay in range through the blocks), LayerNorms are the identity
/// and other vectors are small.
final class SyntheticVisionWeights: VisionWeightSource {
    let type: GGMLType
    private var state: UInt64
    private var allocations: [UnsafeMutableRawPointer] = []

    init(type: GGMLType, seed: UInt64) {
        precondition(type.isComputable && type.blockElements != nil, "\(type) cannot be computed with")
        self.type = type
        state = seed
    }

    deinit { for allocation in allocations { allocation.deallocate() } }

    /// SplitMix64, mapped to [-1, 1).
    private func nextUniform() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) / Float(1 << 23) - 1
    }

    func vector(_ name: String, shape: [Int]) throws(VisionLoadError) -> FloatBuffer {
        let count = shape.reduce(1, *)
        let isNormWeight = name.hasSuffix("ln.weight") || name.hasSuffix("ln1.weight") || name.hasSuffix("ln2.weight")
        let isNormBias = name.hasSuffix("ln.bias") || name.hasSuffix("ln1.bias") || name.hasSuffix("ln2.bias")
        return FloatBuffer((0..<count).map { _ in isNormWeight ? 1 : isNormBias ? 0 : 0.02 * nextUniform() })
    }

    func matrix(_ name: String, shape: [Int]) throws(VisionLoadError) -> WeightMatrix {
        let rows = shape[0], columns = shape.dropFirst().reduce(1, *)
        let blockElements = type.blockElements ?? 1
        guard columns % blockElements == 0, let rowBytes = type.byteCount(elements: columns) else {
            throw .unsupportedTensorType(file: "synthetic", name: name, type: type.name)
        }
        let data = UnsafeMutableRawPointer.allocate(byteCount: rows * rowBytes, alignment: 64)
        allocations.append(data)
        let scale = 1 / Float(columns).squareRoot()
        var row = [Float](repeating: 0, count: columns)
        for r in 0..<rows {
            for c in 0..<columns { row[c] = scale * nextUniform() }
            _ = ck_quantize(type.ckType, row, data + r * rowBytes, Int64(columns))
        }
        return WeightMatrix(type: type, rows: rows, columns: columns, data: UnsafeRawPointer(data))
    }
}
