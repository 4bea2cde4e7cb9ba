import Tensors

extension GGUFWriter {
    /// A tensor held in memory, for writing a whole small file at once.
    public struct Tensor: Sendable {
        public var name: String
        public var type: GGMLType
        /// GGML order: `dimensions[0]` is the row length.
        public var dimensions: [Int]
        /// The encoded data, exactly as many bytes as the type and dimensions imply.
        public var bytes: [UInt8]

        public init(name: String, type: GGMLType, dimensions: [Int], bytes: [UInt8]) {
            self.name = name
            self.type = type
            self.dimensions = dimensions
            self.bytes = bytes
        }

        /// An F32 tensor from floats (stored little-endian, as GGUF requires).
        public init(name: String, dimensions: [Int], floats: [Float]) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(floats.count * 4)
            for value in floats {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
            self.init(name: name, type: .f32, dimensions: dimensions, bytes: bytes)
        }
    }

    /// Writes a complete GGUF file from in-memory metadata and tensors (for tests, fixtures
    /// and small conversions); the same checks and atomic rename as the streaming API apply.
    public static func write(
        path: String,
        metadata: [(key: String, value: GGUFValue)],
        tensors: [Tensor] = [],
        alignment: Int = 32,
        version: UInt32 = 3
    ) throws(ModelFileError) {
        let writer = GGUFWriter(path: path, alignment: alignment, version: version)
        for (key, value) in metadata { writer.add(key: key, value: value) }
        for tensor in tensors {
            writer.addTensor(name: tensor.name, type: tensor.type, dimensions: tensor.dimensions,
                             byteCount: tensor.bytes.count)
        }
        try writer.writeHeader()
        for tensor in tensors {
            var failure: ModelFileError?
            tensor.bytes.withUnsafeBytes { raw in
                do throws(ModelFileError) {
                    try writer.writeTensorData(name: tensor.name, bytes: raw)
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
        }
        try writer.finish()
    }
}
