/// Everything that can go wrong reading or writing a model file.
///
/// Each case carries the path it concerns, and `description` is one line starting with that
/// path, so a message can be shown to a person as it is ("model.gguf: tensor 'x' data ends at
/// byte 123 past the end of the file (100 bytes)"). Offsets are byte positions in the file.
public enum ModelFileError: Error, CustomStringConvertible, Equatable {
    /// No file at the path.
    case fileNotFound(path: String)
    /// The file exists but could not be opened, inspected or mapped (permissions, a directory…).
    case unreadable(path: String, reason: String)
    /// Fewer bytes than the smallest valid file (`minimum`).
    case tooSmall(path: String, size: Int, minimum: Int)
    /// The first bytes are not the GGUF magic; `found` holds up to four of them.
    case notGGUF(path: String, found: [UInt8])
    /// A GGUF file written big-endian (its version field reads byte-swapped).
    case bigEndian(path: String, version: UInt32)
    /// A GGUF version this reader does not handle (only 2 and 3 are).
    case unsupportedVersion(path: String, version: UInt32)
    /// The file ends inside something: `what` it was reading, at which `offset`, needing how
    /// many bytes when only `available` were left.
    case truncated(path: String, what: String, offset: Int, needed: Int, available: Int)
    /// A count (of keys, tensors or array elements) that cannot fit in the rest of the file.
    case countTooLarge(path: String, what: String, count: UInt64, offset: Int, available: Int)
    /// A metadata value with a type id GGUF does not define.
    case badValueType(path: String, key: String, type: UInt32, offset: Int)
    /// A key or string value that is not valid UTF-8. `key` names the key, decoded with
    /// replacement characters when it is the key itself that is bad; `what` says which string
    /// ("metadata key", "a string value of metadata", "a string in the array").
    case invalidUTF8(path: String, what: String, key: String, offset: Int)
    /// A metadata value that is well-formed but not acceptable (a bool byte of 7, an alignment
    /// that is not a power of two, arrays nested too deeply…).
    case badMetadata(path: String, key: String, reason: String)
    /// The same metadata key twice.
    case duplicateKey(path: String, key: String)
    /// A tensor description that makes no sense (dimensions, type, offset alignment…).
    case badTensorInfo(path: String, tensor: String, reason: String)
    /// The same tensor name twice.
    case duplicateTensor(path: String, name: String)
    /// A tensor whose data would reach past the end of the file.
    case dataOutOfBounds(path: String, tensor: String, end: Int, fileSize: Int)
    /// Two tensors whose data ranges overlap.
    case overlappingTensors(path: String, first: String, second: String)
    /// The writer was used out of order or given data that does not match what was declared.
    case writerMisuse(path: String, reason: String)
    /// A system call failed while writing.
    case writeFailed(path: String, reason: String)

    /// The path the error concerns.
    public var path: String {
        switch self {
        case .fileNotFound(let path), .unreadable(let path, _), .tooSmall(let path, _, _),
             .notGGUF(let path, _), .bigEndian(let path, _), .unsupportedVersion(let path, _),
             .truncated(let path, _, _, _, _), .countTooLarge(let path, _, _, _, _),
             .badValueType(let path, _, _, _), .invalidUTF8(let path, _, _, _),
             .badMetadata(let path, _, _), .duplicateKey(let path, _),
             .badTensorInfo(let path, _, _), .duplicateTensor(let path, _),
             .dataOutOfBounds(let path, _, _, _), .overlappingTensors(let path, _, _),
             .writerMisuse(let path, _), .writeFailed(let path, _):
            return path
        }
    }

    public var description: String {
        "\(path): \(problem)"
    }

    /// The message without the leading path.
    private var problem: String {
        switch self {
        case .fileNotFound:
            return "no such file"
        case .unreadable(_, let reason):
            return "cannot read the file: \(reason)"
        case .tooSmall(_, let size, let minimum):
            return "file is too small to be GGUF (\(size) bytes, at least \(minimum) needed)"
        case .notGGUF(_, let found):
            return "not a GGUF file (starts with '\(escapedBytes(found))')"
        case .bigEndian(_, let version):
            return "big-endian GGUF file (version field reads 0x\(hex(version)), "
                + "\(version.byteSwapped) byte-swapped); only little-endian files are supported"
        case .unsupportedVersion(_, let version):
            if version == 1 {
                return "GGUF version 1 is not supported (an obsolete layout with 32-bit counts); "
                    + "convert the model again with a current tool"
            }
            return "GGUF version \(version) is not supported (only versions 2 and 3 are)"
        case .truncated(_, let what, let offset, let needed, let available):
            return "file ends inside \(what) at byte \(offset) "
                + "(\(needed) bytes needed, \(available) left)"
        case .countTooLarge(_, let what, let count, let offset, let available):
            return "\(what) count \(count) at byte \(offset) cannot fit in the "
                + "\(available) bytes left in the file (truncated or corrupt)"
        case .badValueType(_, let key, let type, let offset):
            return "metadata '\(escaped(key))' has unknown value type \(type) at byte \(offset)"
        case .invalidUTF8(_, let what, let key, let offset):
            return "\(what) '\(escaped(key))' at byte \(offset) is not valid UTF-8"
        case .badMetadata(_, let key, let reason):
            return "metadata '\(escaped(key))': \(reason)"
        case .duplicateKey(_, let key):
            return "metadata key '\(escaped(key))' appears more than once"
        case .badTensorInfo(_, let tensor, let reason):
            return "tensor '\(escaped(tensor))': \(reason)"
        case .duplicateTensor(_, let name):
            return "tensor name '\(escaped(name))' appears more than once"
        case .dataOutOfBounds(_, let tensor, let end, let fileSize):
            return "tensor '\(escaped(tensor))' data ends at byte \(end) past the end of the file "
                + "(\(fileSize) bytes)"
        case .overlappingTensors(_, let first, let second):
            return "data of tensors '\(escaped(first))' and '\(escaped(second))' overlap"
        case .writerMisuse(_, let reason):
            return reason
        case .writeFailed(_, let reason):
            return "cannot write the file: \(reason)"
        }
    }
}

/// Text safe to put on one line: control characters and quotes become escapes, and very long
/// text is shortened (a hostile file can have a megabyte-long key).
func escaped(_ text: String, limit: Int = 200) -> String {
    var out = ""
    var count = 0
    for scalar in text.unicodeScalars {
        if count == limit {
            out += "…"
            break
        }
        count += 1
        switch scalar {
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "'": out += "\\'"
        case "\\": out += "\\\\"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\x" + hex(UInt8(scalar.value))
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}

/// Bytes shown as text with printable ASCII kept and everything else as `\xNN`.
func escapedBytes(_ bytes: [UInt8]) -> String {
    var out = ""
    for byte in bytes {
        if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "'"), byte != UInt8(ascii: "\\") {
            out.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            out += "\\x" + hex(byte)
        }
    }
    return out
}

/// Upper-case hexadecimal with leading zeros to the width of the type.
func hex<T: FixedWidthInteger>(_ value: T) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    let width = T.bitWidth / 4
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
