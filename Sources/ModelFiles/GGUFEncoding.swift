/// Appends GGUF fields to a byte array in the file's little-endian layout.
struct GGUFEncoder {
    private(set) var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(contentsOf raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    mutating func append(string: String) {
        var text = string
        text.withUTF8 { utf8 in
            append(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// The value's payload (without its type id, which the caller writes where it belongs).
    mutating func append(value: GGUFValue) {
        switch value {
        case .uint8(let v): append(v)
        case .int8(let v): append(v)
        case .uint16(let v): append(v)
        case .int16(let v): append(v)
        case .uint32(let v): append(v)
        case .int32(let v): append(v)
        case .uint64(let v): append(v)
        case .int64(let v): append(v)
        case .float32(let v): append(v.bitPattern)
        case .float64(let v): append(v.bitPattern)
        case .bool(let v): append(UInt8(v ? 1 : 0))
        case .string(let s): append(string: s)
        case .array(let elementType, let values):
            append(elementType)
            append(UInt64(values.count))
            for element in values { append(value: element) }
        }
    }

    /// Zero bytes up to the next multiple of `alignment`, counting from `base`.
    mutating func pad(alignment: Int, base: Int = 0) {
        let used = (base + bytes.count) % alignment
        if used != 0 { bytes.append(contentsOf: repeatElement(0, count: alignment - used)) }
    }
}

/// Why a value cannot be written as it is, or nil when it can: arrays must hold elements of
/// their declared type and nest no deeper than a reader accepts.
func encodingProblem(of value: GGUFValue, depth: Int = 0) -> String? {
    guard case .array(let elementType, let values) = value else { return nil }
    guard depth < GGUFParser.maxArrayDepth else {
        return "arrays nested deeper than \(GGUFParser.maxArrayDepth) levels"
    }
    guard GGUFValueType.isKnown(elementType) else { return "array element type \(elementType) is unknown" }
    for (position, element) in values.enumerated() {
        if element.typeID != elementType {
            return "array declares \(GGUFValueType.name(elementType)) elements but element "
                + "\(position) is \(GGUFValueType.name(element.typeID))"
        }
        if let problem = encodingProblem(of: element, depth: depth + 1) { return problem }
    }
    return nil
}
