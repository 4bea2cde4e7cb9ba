/// Reads little-endian fields from a byte buffer, checking every read against the end.
///
/// All positions and lengths are checked with overflow-reporting arithmetic, so a hostile
/// length such as 2^63 yields an error instead of a wrap-around or a huge allocation.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    let path: String
    private(set) var offset: Int

    init(bytes: UnsafeRawBufferPointer, path: String, offset: Int = 0) {
        self.bytes = bytes
        self.path = path
        self.offset = offset
    }

    /// Bytes left after the current position.
    var remaining: Int { bytes.count - offset }

    /// Fails unless `count` more bytes are available; `what` names the field for the message.
    func require(_ count: Int, _ what: @autoclosure () -> String) throws(ModelFileError) {
        if count > remaining {
            throw .truncated(path: path, what: what(), offset: offset, needed: count, available: remaining)
        }
    }

    mutating func readInteger<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(ModelFileError) -> T {
        let size = MemoryLayout<T>.size
        try require(size, what())
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    mutating func readUInt32(_ what: @autoclosure () -> String) throws(ModelFileError) -> UInt32 {
        try readInteger(UInt32.self, what())
    }

    mutating func readUInt64(_ what: @autoclosure () -> String) throws(ModelFileError) -> UInt64 {
        try readInteger(UInt64.self, what())
    }

    /// A count that must describe `count` items of at least `minimumSize` bytes each in the
    /// rest of the file; returned as `Int` so callers can allocate for it safely.
    mutating func readCount(minimumSize: Int, _ what: @autoclosure () -> String) throws(ModelFileError) -> Int {
        let at = offset
        let raw = try readUInt64("\(what()) count")
        guard let count = Int(exactly: raw),
              case let (needed, overflow) = count.multipliedReportingOverflow(by: max(minimumSize, 1)),
              !overflow, needed <= remaining else {
            throw .countTooLarge(path: path, what: what(), count: raw, offset: at, available: remaining)
        }
        return count
    }

    /// A length-prefixed string's raw bytes (a view into the buffer, not a copy).
    mutating func readStringBytes(_ what: @autoclosure () -> String) throws(ModelFileError) -> UnsafeRawBufferPointer {
        let lengthOffset = offset
        let raw = try readUInt64("\(what()) length")
        guard let length = Int(exactly: raw), length <= remaining else {
            throw .truncated(path: path, what: what(), offset: lengthOffset + 8,
                             needed: Int(exactly: raw) ?? Int.max, available: remaining)
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + length])
        offset += length
        return slice
    }

    /// Moves the position forward by `count` bytes (which must exist).
    mutating func skip(_ count: Int, _ what: @autoclosure () -> String) throws(ModelFileError) {
        try require(count, what())
        offset += count
    }
}

/// Decodes UTF-8 bytes, or nil when they are not valid UTF-8.
@inline(__always)
func decodeUTF8(_ raw: UnsafeRawBufferPointer) -> String? {
    String(validating: raw.asBytes, as: UTF8.self)
}

extension UnsafeRawBufferPointer {
    /// The bytes typed as `UInt8` (the buffer holds plain bytes, so this is always valid).
    @inline(__always)
    var asBytes: UnsafeBufferPointer<UInt8> {
        assumingMemoryBound(to: UInt8.self)
    }
}
