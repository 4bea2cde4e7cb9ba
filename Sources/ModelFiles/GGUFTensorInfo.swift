import Tensors

/// Where a tensor lives in a GGUF file and what it holds.
///
/// Every field has been validated by the reader: the dimensions are positive, the row length
/// is a whole number of blocks, and `offset ..< offset + byteCount` lies inside the file's
/// tensor data section without overlapping another tensor.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name ("blk.0.attn_q.weight").
    public let name: String
    /// Sizes in GGML order: `dimensions[0]` varies fastest (the row length).
    public let dimensions: [Int]
    /// Element type (may be one the kernels cannot compute with; see `GGMLType.isComputable`).
    public let type: GGMLType
    /// Byte offset relative to the start of the tensor data section.
    public let offset: Int
    /// Bytes the data takes, from the type's block layout and the dimensions.
    public let byteCount: Int

    /// Number of elements (the product of the dimensions).
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// Number of rows: elements divided by the row length.
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }

    init(name: String, dimensions: [Int], type: GGMLType, offset: Int, byteCount: Int) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        self.byteCount = byteCount
    }
}

/// Checks of tensor shapes shared by the reader and the writer.
enum TensorShape {
    /// GGML tensors have one to four dimensions.
    static let maxDimensions = 4

    /// The byte count of a tensor of `type` with `dimensions`, or the reason there is none.
    static func byteCount(type: GGMLType, dimensions: [Int]) -> Result<Int, ShapeProblem> {
        guard (1...maxDimensions).contains(dimensions.count) else {
            return .failure(.init("has \(dimensions.count) dimensions (1 to \(maxDimensions) allowed)"))
        }
        for (axis, size) in dimensions.enumerated() where size <= 0 {
            return .failure(.init("dimension \(axis) is \(size) (must be positive)"))
        }
        guard let blockElements = type.blockElements, type.blockBytes != nil else {
            return .failure(.init("has unknown type id \(type.rawValue)"))
        }
        guard dimensions[0] % blockElements == 0 else {
            return .failure(.init("row length \(dimensions[0]) is not a multiple of the "
                + "\(type.name) block size \(blockElements)"))
        }
        var elements = 1
        for size in dimensions {
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            if overflow {
                return .failure(.init("element count \(dimensions.map(String.init).joined(separator: "×")) overflows"))
            }
            elements = product
        }
        guard let bytes = type.byteCount(elements: elements) else {
            return .failure(.init("byte count of \(elements) \(type.name) elements overflows"))
        }
        return .success(bytes)
    }

    struct ShapeProblem: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
