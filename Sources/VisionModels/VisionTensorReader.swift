import ModelFiles
import Tensors

/// The vision weights of a converted GGUF file, checked tensor by tensor against the shapes the
/// configuration implies.
final class VisionTensorReader: VisionWeightSource {
    let file: GGUFFile
    /// The file name, as errors show it.
    let name: String

    init(file: GGUFFile, name: String) {
        self.file = file
        self.name = name
    }

    func vector(_ tensorName: String, shape: [Int]) throws(VisionLoadError) -> FloatBuffer {
        let (info, matrix) = try bind(tensorName, shape: shape)
        let buffer = FloatBuffer(count: info.elementCount)
        matrix.dequantizeRows(0..<matrix.rows, into: buffer.pointer)
        return buffer
    }

    func matrix(_ tensorName: String, shape: [Int]) throws(VisionLoadError) -> WeightMatrix {
        let (info, matrix) = try bind(tensorName, shape: shape)
        // Seen as `shape[0]` rows of the rest; GGUF stores the innermost dimension contiguously,
        // so that is the same memory when the whole row is one run of blocks.
        let columns = shape.dropFirst().reduce(1, *)
        guard info.dimensions.count <= 2 || matrix.type.blockElements == 1 else {
            throw .unsupportedTensorType(file: name, name: tensorName, type: info.type.name)
        }
        return WeightMatrix(type: matrix.type, rows: shape[0], columns: columns, data: matrix.data)
    }

    /// Finds the tensor, checks its shape and type, and views it as GGUF rows.
    private func bind(_ tensorName: String, shape: [Int]) throws(VisionLoadError) -> (GGUFTensorInfo, WeightMatrix) {
        guard let info = file.tensor(named: tensorName) else {
            throw .missingTensor(file: name, name: tensorName)
        }
        let actual = Array(info.dimensions.reversed())
        guard Self.squeezed(actual) == Self.squeezed(shape) else {
            throw .tensorShape(file: name, name: tensorName, expected: shape, actual: actual)
        }
        // GGUF rows are the innermost dimension; a quantised type needs whole blocks per row.
        let rowLength = info.dimensions.first ?? 1
        guard info.type.isComputable, rowLength % (info.type.blockElements ?? 1) == 0 else {
            throw .unsupportedTensorType(file: name, name: tensorName, type: info.type.name)
        }
        let rows = info.elementCount / max(rowLength, 1)
        return (info, WeightMatrix(type: info.type, rows: rows, columns: rowLength, data: file.data(of: info)))
    }

    private static func squeezed(_ shape: [Int]) -> [Int] { Array(shape.drop { $0 == 1 }) }
}
