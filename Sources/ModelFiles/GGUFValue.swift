/// One metadata value of a GGUF file, typed as the file types it.
///
/// The integer width is kept (a `uint32` stays `.uint32`) so a file can be written back
/// unchanged; use the typed accessors of `GGUFMetadata` to read values without caring about
/// widths. An array records its element type even when empty, because the file does.
///
/// Not declared `indirect`: arrays already store their elements out of line, and boxing every
/// scalar made opening a model with 150k vocabulary values about 50% slower.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32),
         uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool), string(String)
    /// Elements all of `elementType` (a GGUF value type id); arrays may hold arrays.
    case array(elementType: UInt32, values: [GGUFValue])

    /// The GGUF value type id of this value (`GGUFValueType`).
    public var typeID: UInt32 {
        switch self {
        case .uint8: return GGUFValueType.uint8
        case .int8: return GGUFValueType.int8
        case .uint16: return GGUFValueType.uint16
        case .int16: return GGUFValueType.int16
        case .uint32: return GGUFValueType.uint32
        case .int32: return GGUFValueType.int32
        case .float32: return GGUFValueType.float32
        case .bool: return GGUFValueType.bool
        case .string: return GGUFValueType.string
        case .array: return GGUFValueType.array
        case .uint64: return GGUFValueType.uint64
        case .int64: return GGUFValueType.int64
        case .float64: return GGUFValueType.float64
        }
    }

    /// The value as an `Int` when it is an integer of any width that fits; nil otherwise
    /// (bools are not integers here, so a flag is never mistaken for a count).
    public var intValue: Int? {
        switch self {
        case .uint8(let v): return Int(v)
        case .int8(let v): return Int(v)
        case .uint16(let v): return Int(v)
        case .int16(let v): return Int(v)
        case .uint32(let v): return Int(v)
        case .int32(let v): return Int(v)
        case .uint64(let v): return Int(exactly: v)
        case .int64(let v): return Int(v)
        default: return nil
        }
    }

    /// The value as a `Double` when it is a float or an integer; nil otherwise.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        case .uint64(let v): return Double(v)
        default: return intValue.map(Double.init)
        }
    }

    /// The text of a string value.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

/// The value type ids GGUF defines for metadata.
public indirect enum GGUFValueType {
    public static let uint8: UInt32 = 0
    public static let int8: UInt32 = 1
    public static let uint16: UInt32 = 2
    public static let int16: UInt32 = 3
    public static let uint32: UInt32 = 4
    public static let int32: UInt32 = 5
    public static let float32: UInt32 = 6
    public static let bool: UInt32 = 7
    public static let string: UInt32 = 8
    public static let array: UInt32 = 9
    public static let uint64: UInt32 = 10
    public static let int64: UInt32 = 11
    public static let float64: UInt32 = 12

    /// Whether GGUF defines `type`.
    public static func isKnown(_ type: UInt32) -> Bool { type <= 12 }

    /// Bytes one value of a fixed-size type takes; nil for strings, arrays and unknown ids.
    public static func fixedSize(_ type: UInt32) -> Int? {
        switch type {
        case uint8, int8, bool: return 1
        case uint16, int16: return 2
        case uint32, int32, float32: return 4
        case uint64, int64, float64: return 8
        default: return nil
        }
    }

    /// The fewest bytes a value of `type` can take in a file: a string needs its 8-byte length,
    /// an array its 4-byte type and 8-byte count. Used to reject absurd counts before reading.
    static func minimumSize(_ type: UInt32) -> Int? {
        switch type {
        case string: return 8
        case array: return 12
        default: return fixedSize(type)
        }
    }

    /// GGUF's name for a type id, for messages.
    public static func name(_ type: UInt32) -> String {
        let names = ["uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "bool",
                     "string", "array", "uint64", "int64", "float64"]
        return type < names.count ? names[Int(type)] : "type \(type)"
    }
}
