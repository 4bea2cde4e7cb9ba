import Tensors

/// An open GGUF model file: its metadata, its tensor directory, and its tensor data mapped
/// read-only into memory.
///
/// Opening parses and validates the whole header (every count, length, shape and offset is
/// checked against the file before it is trusted) but copies no weights: `data(of:)` points
/// into the mapping, which lives as long as this object. The object never changes after
/// `open`, so it may be shared between threads.
public final class GGUFFile: @unchecked Sendable {
    /// The path the file was opened from (used in messages).
    public let path: String
    /// The format version (2 or 3; they share one layout).
    public let version: UInt32
    /// Alignment of tensor data in bytes: `general.alignment`, or 32 when absent.
    public let alignment: Int
    /// Key–value metadata in file order.
    public let metadata: GGUFMetadata
    /// Tensor descriptions in file order.
    public let tensors: [GGUFTensorInfo]
    /// Absolute byte offset of the tensor data section (tensor offsets are relative to it).
    public let dataOffset: Int

    private let mapping: MappedFile
    private let index: [String: Int]

    private init(path: String, mapping: MappedFile, layout: GGUFLayout) {
        self.path = path
        self.mapping = mapping
        self.version = layout.version
        self.alignment = layout.alignment
        self.metadata = layout.metadata
        self.tensors = layout.tensors
        self.dataOffset = layout.dataOffset
        var index: [String: Int] = [:]
        index.reserveCapacity(layout.tensors.count)
        for (position, tensor) in layout.tensors.enumerated() { index[tensor.name] = position }
        self.index = index
    }

    /// Maps and validates the GGUF file at `path`.
    /// - Throws: `ModelFileError` naming the path and the first problem found; no input makes
    ///   this crash.
    public static func open(path: String) throws(ModelFileError) -> GGUFFile {
        let mapping = try MappedFile(path: path)
        let layout = try GGUFParser(path: path, bytes: mapping.bytes).parse()
        return GGUFFile(path: path, mapping: mapping, layout: layout)
    }

    /// The size of the file in bytes.
    public var fileSize: Int { mapping.size }

    /// The tensor with this name, if the file has one.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        index[name].map { tensors[$0] }
    }

    /// The first byte of a tensor's data, inside the mapping (valid while this file lives).
    /// `tensor` must come from this file's `tensors`.
    public func data(of tensor: GGUFTensorInfo) -> UnsafeRawPointer {
        bytes(of: tensor).baseAddress!
    }

    /// A tensor's data as a buffer of `tensor.byteCount` bytes inside the mapping.
    public func bytes(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        let start = dataOffset + tensor.offset
        precondition(tensor.byteCount > 0 && start + tensor.byteCount <= mapping.size,
                     "tensor '\(tensor.name)' does not belong to \(path)")
        return UnsafeRawBufferPointer(rebasing: mapping.bytes[start ..< start + tensor.byteCount])
    }
}
