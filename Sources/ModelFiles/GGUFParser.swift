import Tensors

/// The layout of a GGUF file as parsed from its header, before any tensor data is touched.
struct GGUFLayout {
    var version: UInt32
    var alignment: Int
    var metadata: GGUFMetadata
    var tensors: [GGUFTensorInfo]
    /// Absolute offset of the tensor data section.
    var dataOffset: Int
}

/// Parses and validates the header, metadata and tensor infos of a GGUF file held in memory.
///
/// Layout (little-endian): "GGUF", version u32, tensor count u64, key count u64; each key as a
/// string (u64 length + UTF-8) with a u32 value type and the value; each tensor as its name,
/// u32 dimension count, u64 dimensions, u32 GGML type and u64 offset; then padding to the
/// alignment and the tensor data. Versions 2 and 3 share this layout; version 1 used 32-bit
/// counts and lengths and is refused.
struct GGUFParser {
    static let magic: [UInt8] = [0x47, 0x47, 0x55, 0x46]  // "GGUF"
    static let headerSize = 24
    static let defaultAlignment = 32
    static let alignmentKey = "general.alignment"
    /// Deepest nesting of arrays accepted; real files use one level, and a limit keeps a
    /// hostile file from exhausting the stack through recursion.
    static let maxArrayDepth = 16
    /// The fewest bytes a key-value pair takes: key length, value type, a one-byte value.
    static let minimumPairSize = 8 + 4 + 1
    /// The fewest bytes a tensor info takes: name length, dimension count, one dimension,
    /// type, offset.
    static let minimumTensorInfoSize = 8 + 4 + 8 + 4 + 8

    let path: String
    let bytes: UnsafeRawBufferPointer

    func parse() throws(ModelFileError) -> GGUFLayout {
        guard bytes.count >= 4 else {
            throw .tooSmall(path: path, size: bytes.count, minimum: Self.headerSize)
        }
        let start = Array(bytes[0 ..< 4])
        guard start == Self.magic else { throw .notGGUF(path: path, found: start) }
        guard bytes.count >= Self.headerSize else {
            throw .tooSmall(path: path, size: bytes.count, minimum: Self.headerSize)
        }
        var cursor = ByteCursor(bytes: bytes, path: path, offset: 4)
        let version = try cursor.readUInt32("the version")
        try Self.checkVersion(version, path: path)

        let tensorCountOffset = cursor.offset
        let rawTensorCount = try cursor.readUInt64("the tensor count")
        // Keys come first in the file; the tensor count is checked against what is left after them.
        let keyCount = try cursor.readCount(minimumSize: Self.minimumPairSize, "metadata key")

        let metadata = try readMetadata(count: keyCount, cursor: &cursor)
        let alignment = try Self.alignment(from: metadata, path: path)

        guard let tensorCount = Int(exactly: rawTensorCount),
              !tensorCount.multipliedReportingOverflow(by: Self.minimumTensorInfoSize).overflow,
              tensorCount * Self.minimumTensorInfoSize <= cursor.remaining else {
            throw .countTooLarge(path: path, what: "tensor", count: rawTensorCount,
                                 offset: tensorCountOffset, available: cursor.remaining)
        }
        let tensors = try readTensorInfos(count: tensorCount, alignment: alignment, cursor: &cursor)

        let (padded, overflow) = cursor.offset.addingReportingOverflow(alignment - 1)
        guard !overflow else {
            throw .badMetadata(path: path, key: Self.alignmentKey, reason: "alignment \(alignment) is too large")
        }
        let dataOffset = padded / alignment * alignment
        try checkDataRanges(tensors, dataOffset: dataOffset)
        return GGUFLayout(version: version, alignment: alignment, metadata: metadata,
                          tensors: tensors, dataOffset: dataOffset)
    }

    static func checkVersion(_ version: UInt32, path: String) throws(ModelFileError) {
        if version == 2 || version == 3 { return }
        // A big-endian file stores a small version with its bytes reversed, so the low half
        // reads as zero here while the swapped value is a plausible version.
        if version & 0xFFFF == 0, (1...0xFFFF).contains(version.byteSwapped) {
            throw .bigEndian(path: path, version: version)
        }
        throw .unsupportedVersion(path: path, version: version)
    }

    static func alignment(from metadata: GGUFMetadata, path: String) throws(ModelFileError) -> Int {
        guard let value = metadata[alignmentKey] else { return defaultAlignment }
        guard let alignment = value.intValue else {
            throw .badMetadata(path: path, key: alignmentKey,
                               reason: "must be an integer, found \(GGUFValueType.name(value.typeID))")
        }
        guard alignment > 0, alignment & (alignment - 1) == 0 else {
            throw .badMetadata(path: path, key: alignmentKey, reason: "\(alignment) is not a power of two")
        }
        return alignment
    }

    // MARK: - Metadata

    private func readMetadata(count: Int, cursor: inout ByteCursor) throws(ModelFileError) -> GGUFMetadata {
        var keys: [String] = []
        var values: [String: GGUFValue] = [:]
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
        for index in 0 ..< count {
            let keyOffset = cursor.offset
            let rawKey = try cursor.readStringBytes("the name of metadata key #\(index)")
            guard let key = decodeUTF8(rawKey) else {
                let lossy = String(decoding: rawKey.asBytes, as: UTF8.self)
                throw .invalidUTF8(path: path, what: "metadata key", key: lossy, offset: keyOffset)
            }
            let typeOffset = cursor.offset
            let type = try cursor.readUInt32("the value type of metadata '\(escaped(key))'")
            let value = try readValue(type: type, typeOffset: typeOffset, key: key, depth: 0, cursor: &cursor)
            guard values.updateValue(value, forKey: key) == nil else {
                throw .duplicateKey(path: path, key: key)
            }
            keys.append(key)
        }
        return GGUFMetadata(uniqueKeys: keys, values: values)
    }

    private func readValue(type: UInt32, typeOffset: Int, key: String, depth: Int,
                           cursor: inout ByteCursor) throws(ModelFileError) -> GGUFValue {
        func what() -> String { "the value of metadata '\(escaped(key))'" }
        switch type {
        case GGUFValueType.uint8: return .uint8(try cursor.readInteger(UInt8.self, what()))
        case GGUFValueType.int8: return .int8(try cursor.readInteger(Int8.self, what()))
        case GGUFValueType.uint16: return .uint16(try cursor.readInteger(UInt16.self, what()))
        case GGUFValueType.int16: return .int16(try cursor.readInteger(Int16.self, what()))
        case GGUFValueType.uint32: return .uint32(try cursor.readInteger(UInt32.self, what()))
        case GGUFValueType.int32: return .int32(try cursor.readInteger(Int32.self, what()))
        case GGUFValueType.uint64: return .uint64(try cursor.readInteger(UInt64.self, what()))
        case GGUFValueType.int64: return .int64(try cursor.readInteger(Int64.self, what()))
        case GGUFValueType.float32:
            return .float32(Float(bitPattern: try cursor.readInteger(UInt32.self, what())))
        case GGUFValueType.float64:
            return .float64(Double(bitPattern: try cursor.readInteger(UInt64.self, what())))
        case GGUFValueType.bool:
            let at = cursor.offset
            let byte = try cursor.readInteger(UInt8.self, what())
            guard byte <= 1 else {
                throw .badMetadata(path: path, key: key, reason: "bool byte at \(at) is \(byte) (must be 0 or 1)")
            }
            return .bool(byte == 1)
        case GGUFValueType.string:
            let at = cursor.offset
            let raw = try cursor.readStringBytes(what())
            guard let text = decodeUTF8(raw) else {
                throw .invalidUTF8(path: path, what: "a string value of metadata", key: key, offset: at)
            }
            return .string(text)
        case GGUFValueType.array:
            return try readArray(key: key, depth: depth, cursor: &cursor)
        default:
            throw .badValueType(path: path, key: key, type: type, offset: typeOffset)
        }
    }

    private func readArray(key: String, depth: Int, cursor: inout ByteCursor) throws(ModelFileError) -> GGUFValue {
        guard depth < Self.maxArrayDepth else {
            throw .badMetadata(path: path, key: key,
                               reason: "arrays nested deeper than \(Self.maxArrayDepth) levels")
        }
        let typeOffset = cursor.offset
        let elementType = try cursor.readUInt32("the element type of array '\(escaped(key))'")
        guard let minimumSize = GGUFValueType.minimumSize(elementType) else {
            throw .badValueType(path: path, key: key, type: elementType, offset: typeOffset)
        }
        let count = try cursor.readCount(minimumSize: minimumSize, "array '\(escaped(key))' element")
        var values: [GGUFValue] = []
        values.reserveCapacity(count)
        if elementType == GGUFValueType.string {
            // The hot path: vocabularies hold tens of thousands of strings.
            for _ in 0 ..< count {
                let at = cursor.offset
                let raw = try cursor.readStringBytes("a string of array '\(escaped(key))'")
                guard let text = decodeUTF8(raw) else {
                    throw .invalidUTF8(path: path, what: "a string in the array", key: key, offset: at)
                }
                values.append(.string(text))
            }
        } else {
            for _ in 0 ..< count {
                values.append(try readValue(type: elementType, typeOffset: typeOffset, key: key,
                                            depth: depth + 1, cursor: &cursor))
            }
        }
        return .array(elementType: elementType, values: values)
    }

    // MARK: - Tensor infos

    private func readTensorInfos(count: Int, alignment: Int,
                                 cursor: inout ByteCursor) throws(ModelFileError) -> [GGUFTensorInfo] {
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(count)
        var names = Set<String>(minimumCapacity: count)
        for index in 0 ..< count {
            let nameOffset = cursor.offset
            let rawName = try cursor.readStringBytes("the name of tensor #\(index)")
            guard let name = decodeUTF8(rawName) else {
                throw .badTensorInfo(path: path, tensor: "#\(index)",
                                     reason: "name at byte \(nameOffset) is not valid UTF-8")
            }
            guard names.insert(name).inserted else { throw .duplicateTensor(path: path, name: name) }
            let label = "tensor '\(escaped(name))'"

            let dimensionCount = try cursor.readUInt32("the dimension count of \(label)")
            guard (1...UInt32(TensorShape.maxDimensions)).contains(dimensionCount) else {
                throw .badTensorInfo(path: path, tensor: name, reason:
                    "has \(dimensionCount) dimensions (1 to \(TensorShape.maxDimensions) allowed)")
            }
            var dimensions: [Int] = []
            dimensions.reserveCapacity(Int(dimensionCount))
            for axis in 0 ..< Int(dimensionCount) {
                let raw = try cursor.readUInt64("dimension \(axis) of \(label)")
                guard let size = Int(exactly: raw), size > 0 else {
                    throw .badTensorInfo(path: path, tensor: name, reason:
                        "dimension \(axis) is \(Int64(bitPattern: raw)) (must be positive)")
                }
                dimensions.append(size)
            }
            let typeOffset = cursor.offset
            let type = GGMLType(rawValue: try cursor.readUInt32("the type of \(label)"))
            guard type.isKnown else {
                throw .badTensorInfo(path: path, tensor: name,
                                     reason: "unknown type id \(type.rawValue) at byte \(typeOffset)")
            }
            let byteCount: Int
            switch TensorShape.byteCount(type: type, dimensions: dimensions) {
            case .success(let bytes): byteCount = bytes
            case .failure(let problem): throw .badTensorInfo(path: path, tensor: name, reason: problem.reason)
            }
            let rawOffset = try cursor.readUInt64("the data offset of \(label)")
            guard let offset = Int(exactly: rawOffset) else {
                throw .badTensorInfo(path: path, tensor: name, reason: "data offset \(rawOffset) is out of range")
            }
            guard offset % alignment == 0 else {
                throw .badTensorInfo(path: path, tensor: name,
                                     reason: "data offset \(offset) is not a multiple of the alignment \(alignment)")
            }
            tensors.append(GGUFTensorInfo(name: name, dimensions: dimensions, type: type,
                                          offset: offset, byteCount: byteCount))
        }
        return tensors
    }

    /// Every tensor's data must lie inside the file, and no two may share bytes.
    private func checkDataRanges(_ tensors: [GGUFTensorInfo], dataOffset: Int) throws(ModelFileError) {
        for tensor in tensors {
            let (start, startOverflow) = dataOffset.addingReportingOverflow(tensor.offset)
            let (end, endOverflow) = start.addingReportingOverflow(tensor.byteCount)
            if startOverflow || endOverflow || end > bytes.count {
                throw .dataOutOfBounds(path: path, tensor: tensor.name,
                                       end: startOverflow || endOverflow ? Int.max : end, fileSize: bytes.count)
            }
        }
        let ordered = tensors.sorted { $0.offset < $1.offset }
        for (previous, next) in zip(ordered, ordered.dropFirst())
        where previous.offset + previous.byteCount > next.offset {
            throw .overlappingTensors(path: path, first: previous.name, second: next.name)
        }
    }
}
