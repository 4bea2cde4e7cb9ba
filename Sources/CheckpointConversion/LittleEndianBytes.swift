/// Bounds-checked little-endian reads from a block of bytes (a mapped file, a ZIP entry), with
/// errors naming the file. Nothing here trusts an offset read from the file.
struct LittleEndianBytes {
    let bytes: UnsafeRawBufferPointer
    /// The file the bytes come from, for errors.
    let path: String

    var count: Int { bytes.count }

    /// Throws unless `count` bytes starting at `offset` lie inside the block.
    func require(_ offset: Int, _ count: Int, _ what: @autoclosure () -> String) throws(CheckpointError) {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw .corrupt(path: path, offset: offset >= 0 ? offset : nil,
                           reason: "\(what()) (\(count) bytes) runs past the end of the file (\(bytes.count) bytes)")
        }
    }

    func u8(_ offset: Int, _ what: @autoclosure () -> String) throws(CheckpointError) -> UInt8 {
        try require(offset, 1, what())
        return bytes[offset]
    }

    func u16(_ offset: Int, _ what: @autoclosure () -> String) throws(CheckpointError) -> UInt16 {
        try require(offset, 2, what())
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int, _ what: @autoclosure () -> String) throws(CheckpointError) -> UInt32 {
        try require(offset, 4, what())
        var value: UInt32 = 0
        for index in (0..<4).reversed() { value = value << 8 | UInt32(bytes[offset + index]) }
        return value
    }

    func u64(_ offset: Int, _ what: @autoclosure () -> String) throws(CheckpointError) -> UInt64 {
        try require(offset, 8, what())
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        return value
    }

    /// `count` bytes at `offset` as a buffer (no copy).
    func slice(_ offset: Int, _ count: Int, _ what: @autoclosure () -> String) throws(CheckpointError)
        -> UnsafeRawBufferPointer
    {
        try require(offset, count, what())
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }
}
