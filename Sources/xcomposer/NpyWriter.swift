import Glibc

/// Writes a 2-D float32 array in NumPy's `.npy` format (version 1.0, little-endian, C order),
/// atomically: to a temporary file first, renamed into place when complete.
struct NpyWriter {
    enum Failure: Error, CustomStringConvertible {
        case cannotWrite(path: String, reason: String)
        var description: String {
            switch self {
            case let .cannotWrite(path, reason): return "\(path): cannot write: \(reason)"
            }
        }
    }

    /// The header: magic, version, length and a dict padded so the data starts 64-byte aligned.
    static func header(rows: Int, columns: Int) -> [UInt8] {
        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = UInt16(dict.utf8.count)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xff), UInt8(length >> 8)] + Array(dict.utf8)
    }

    static func write(path: String, rows: Int, columns: Int, values: [Float]) throws {
        precondition(values.count == rows * columns)
        let temporary = path + ".partial"
        guard let file = fopen(temporary, "wb") else {
            throw Failure.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        let header = Self.header(rows: rows, columns: columns)
        var ok = fwrite(header, 1, header.count, file) == header.count
        ok = ok && values.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) == $0.count }
        ok = fflush(file) == 0 && ok
        fclose(file)
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure.cannotWrite(path: path, reason: reason)
        }
    }
}
