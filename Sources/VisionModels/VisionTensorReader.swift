import ModelFiles
import Tensors

/// Reads the vision tensors of a GGUF file into f32, checking each one's shape.
///
/// The vision weights are small next to the language model (about 1 GB as f32 at full size), so
/// they are dequantised once here and every later product is a plain sgemm on f32.
struct VisionTensorReader {
    let file: GGUFFile
    /// The file name, as errors show it.
    let name: String

    /// The tensor `tensorName` as row-major f32 in PyTorch order, which must have `shape`
    /// (PyTorch order, outermost first). Leading 1s are ignored on both sides, so `[1, 1, D]`
    /// matches a tensor written as `[D]`.
    func read(_ tensorName: String, shape: [Int]) throws(VisionLoadError) -> FloatBuffer {
        guard let info = file.tensor(named: tensorName) else {
            throw .missingTensor(file: name, name: tensorName)
        }
        let actual = Array(info.dimensions.reversed())
        guard Self.squeezed(actual) == Self.squeezed(shape) else {
            throw .tensorShape(file: name, name: tensorName, expected: shape, actual: actual)
        }
        guard info.type.isComputable else {
            throw .unsupportedTensorType(file: name, name: tensorName, type: info.type.name)
        }
        // GGUF rows are the innermost dimension; a quantised type needs whole blocks per row.
        let columns = info.dimensions.first ?? 1
        guard columns % (info.type.blockElements ?? 1) == 0 else {
            throw .unsupportedTensorType(file: name, name: tensorName, type: info.type.name)
        }
        let rows = info.elementCount / max(columns, 1)
        let buffer = FloatBuffer(count: info.elementCount)
        let matrix = WeightMatrix(type: info.type, rows: rows, columns: columns, data: file.data(of: info))
        matrix.dequantizeRows(0..<rows, into: buffer.pointer)
        return buffer
    }

    /// A Linear layer `out × in` with its bias.
    func linear(_ prefix: String, outputs: Int, inputs: Int) throws(VisionLoadError) -> DenseLinear {
        DenseLinear(weight: try read(prefix + ".weight", shape: [outputs, inputs]),
                    bias: try read(prefix + ".bias", shape: [outputs]),
                    outputs: outputs, inputs: inputs)
    }

    /// A LayerNorm of width `width` with its weight and bias.
    func layerNorm(_ prefix: String, width: Int, epsilon: Float) throws(VisionLoadError) -> LayerNorm {
        LayerNorm(weight: try read(prefix + ".weight", shape: [width]),
                  bias: try read(prefix + ".bias", shape: [width]), epsilon: epsilon)
    }

    private static func squeezed(_ shape: [Int]) -> [Int] { Array(shape.drop { $0 == 1 }) }
}
