/// The directory of a ZIP archive whose entries are stored uncompressed, as `torch.save` writes
/// them: entry names mapped to where their bytes lie in the file.
///
/// Only what PyTorch checkpoints use is read: the end-of-central-directory record (and its
/// ZIP64 form, which shards over 4 GiB need), the central directory, and each entry's local
/// header to find where its data starts. Compressed or encrypted entries, and archives split
/// over several disks, are refused with a clear error rather than read. Every offset and size
/// is checked against the file.
struct ZipArchive {
    struct Entry: Equatable {
        let name: String
        /// Offset of the first data byte in the file.
        let dataOffset: Int
        let size: Int
        /// The CRC-32 the directory records for the data.
        let crc32: UInt32
    }

    let path: String
    /// Entries in directory order.
    let entries: [Entry]
    private let byName: [String: Int]

    func entry(named name: String) -> Entry? { byName[name].map { entries[$0] } }

    private static let endSignature: UInt32 = 0x0605_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let zip64EndSignature: UInt32 = 0x0606_4B50
    private static let centralSignature: UInt32 = 0x0201_4B50
    private static let localSignature: UInt32 = 0x0403_4B50

    /// Reads the directory of the archive in `bytes`.
    init(bytes: UnsafeRawBufferPointer, path: String) throws(CheckpointError) {
        self.path = path
        let file = LittleEndianBytes(bytes: bytes, path: path)
        let end = try Self.findEnd(file)

        var entryCount = Int(try file.u16(end + 10, "end of central directory"))
        var directorySize = Int(try file.u32(end + 12, "end of central directory"))
        var directoryOffset = Int(try file.u32(end + 16, "end of central directory"))
        let disk = try file.u16(end + 4, "end of central directory")
        let directoryDisk = try file.u16(end + 6, "end of central directory")

        // ZIP64: the classic record holds 0xFFFF/0xFFFFFFFF and a locator sits just before it.
        let locator = end - 20
        if locator >= 0, try file.u32(locator, "ZIP64 locator") == Self.zip64LocatorSignature {
            let recordOffset = try Self.checkedInt(try file.u64(locator + 8, "ZIP64 locator"), file, locator + 8)
            guard try file.u32(recordOffset, "ZIP64 end of central directory") == Self.zip64EndSignature else {
                throw .corrupt(path: path, offset: recordOffset, reason: "no ZIP64 end of central directory where the locator points")
            }
            guard try file.u32(recordOffset + 16, "ZIP64 end record") == 0,
                  try file.u32(recordOffset + 20, "ZIP64 end record") == 0 else {
                throw .unsupported(path: path, reason: "ZIP archives split over several disks are not supported")
            }
            entryCount = try Self.checkedInt(try file.u64(recordOffset + 32, "ZIP64 end record"), file, recordOffset + 32)
            directorySize = try Self.checkedInt(try file.u64(recordOffset + 40, "ZIP64 end record"), file, recordOffset + 40)
            directoryOffset = try Self.checkedInt(try file.u64(recordOffset + 48, "ZIP64 end record"), file, recordOffset + 48)
        } else if disk != 0 || directoryDisk != 0 {
            throw .unsupported(path: path, reason: "ZIP archives split over several disks are not supported")
        }
        try file.require(directoryOffset, directorySize, "the central directory")
        // Each directory record takes at least 46 bytes: a larger count is damage, caught
        // before it sizes an allocation.
        guard entryCount <= directorySize / 46 else {
            throw .corrupt(path: path, offset: end, reason: "\(entryCount) entries cannot fit in a central directory of \(directorySize) bytes")
        }

        var entries: [Entry] = []
        var byName: [String: Int] = [:]
        entries.reserveCapacity(entryCount)
        var cursor = directoryOffset
        let directoryEnd = directoryOffset + directorySize
        for _ in 0..<entryCount {
            let entry = try Self.readEntry(file, at: &cursor, directoryEnd: directoryEnd)
            guard byName.updateValue(entries.count, forKey: entry.name) == nil else {
                throw .corrupt(path: path, offset: nil, reason: "entry '\(oneLine(entry.name))' appears twice in the directory")
            }
            entries.append(entry)
        }
        self.entries = entries
        self.byName = byName
    }

    /// Offset of the end-of-central-directory record: the last signature found within the
    /// 22 + 65535 bytes a trailing comment allows.
    private static func findEnd(_ file: LittleEndianBytes) throws(CheckpointError) -> Int {
        guard file.count >= 22 else {
            throw .corrupt(path: file.path, offset: nil, reason: "\(file.count) bytes is too small for a ZIP archive")
        }
        let lowest = max(0, file.count - 22 - 0xFFFF)
        var offset = file.count - 22
        while offset >= lowest {
            if file.bytes[offset] == 0x50, try file.u32(offset, "ZIP signature") == endSignature {
                let commentLength = Int(try file.u16(offset + 20, "end of central directory"))
                if offset + 22 + commentLength == file.count { return offset }
            }
            offset -= 1
        }
        throw .corrupt(path: file.path, offset: nil,
                       reason: "no ZIP end-of-central-directory record (not a PyTorch zip checkpoint, or cut short)")
    }

    /// One central-directory record at `cursor`, which moves past it.
    private static func readEntry(_ file: LittleEndianBytes, at cursor: inout Int, directoryEnd: Int)
        throws(CheckpointError) -> Entry
    {
        let start = cursor
        guard start + 46 <= directoryEnd else {
            throw .corrupt(path: file.path, offset: start, reason: "central directory ends inside a record")
        }
        guard try file.u32(start, "central directory record") == centralSignature else {
            throw .corrupt(path: file.path, offset: start, reason: "bad central directory record signature")
        }
        let flags = try file.u16(start + 8, "central directory record")
        let method = try file.u16(start + 10, "central directory record")
        let crc = try file.u32(start + 16, "central directory record")
        var compressedSize = UInt64(try file.u32(start + 20, "central directory record"))
        var size = UInt64(try file.u32(start + 24, "central directory record"))
        let nameLength = Int(try file.u16(start + 28, "central directory record"))
        let extraLength = Int(try file.u16(start + 30, "central directory record"))
        let commentLength = Int(try file.u16(start + 32, "central directory record"))
        var localOffset = UInt64(try file.u32(start + 42, "central directory record"))
        let recordEnd = start + 46 + nameLength + extraLength + commentLength
        guard recordEnd <= directoryEnd else {
            throw .corrupt(path: file.path, offset: start, reason: "central directory record runs past the directory")
        }
        let nameBytes = try file.slice(start + 46, nameLength, "entry name")
        guard let name = String(validating: nameBytes, as: UTF8.self) else {
            throw .corrupt(path: file.path, offset: start + 46, reason: "entry name is not UTF-8")
        }

        // ZIP64 extra field: 64-bit values for exactly the fields that hold 0xFFFFFFFF.
        var extra = start + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let id = try file.u16(extra, "extra field")
            let length = Int(try file.u16(extra + 2, "extra field"))
            guard extra + 4 + length <= extraEnd else {
                throw .corrupt(path: file.path, offset: extra, reason: "extra field of entry '\(oneLine(name))' runs past its record")
            }
            if id == 0x0001 {
                var field = extra + 4
                func next() throws(CheckpointError) -> UInt64 {
                    guard field + 8 <= extra + 4 + length else {
                        throw .corrupt(path: file.path, offset: field, reason: "ZIP64 field of entry '\(oneLine(name))' is too short")
                    }
                    defer { field += 8 }
                    return try file.u64(field, "ZIP64 field")
                }
                if size == 0xFFFF_FFFF { size = try next() }
                if compressedSize == 0xFFFF_FFFF { compressedSize = try next() }
                if localOffset == 0xFFFF_FFFF { localOffset = try next() }
            }
            extra += 4 + length
        }
        cursor = recordEnd

        guard flags & 1 == 0 else {
            throw .unsupported(path: file.path, reason: "entry '\(oneLine(name))' is encrypted")
        }
        guard method == 0 else {
            throw .unsupported(path: file.path, reason: "entry '\(oneLine(name))' is compressed (method \(method)); "
                + "PyTorch checkpoints store entries uncompressed, so this file was repacked: unzip and re-zip it with -0")
        }
        guard compressedSize == size else {
            throw .corrupt(path: file.path, offset: start, reason: "stored entry '\(oneLine(name))' has compressed size "
                + "\(compressedSize) but size \(size)")
        }
        let local = try checkedInt(localOffset, file, start + 42)
        guard try file.u32(local, "local header of '\(oneLine(name))'") == localSignature else {
            throw .corrupt(path: file.path, offset: local, reason: "no local header for entry '\(oneLine(name))'")
        }
        let localName = Int(try file.u16(local + 26, "local header"))
        let localExtra = Int(try file.u16(local + 28, "local header"))
        let dataOffset = local + 30 + localName + localExtra
        let byteCount = try checkedInt(size, file, start + 24)
        try file.require(dataOffset, byteCount, "data of entry '\(oneLine(name))'")
        return Entry(name: name, dataOffset: dataOffset, size: byteCount, crc32: crc)
    }

    /// A 64-bit size or offset from the file as an `Int`, refusing values no file can have.
    private static func checkedInt(_ value: UInt64, _ file: LittleEndianBytes, _ offset: Int) throws(CheckpointError) -> Int {
        guard let result = Int(exactly: value), result <= file.count else {
            throw .corrupt(path: file.path, offset: offset, reason: "value \(value) points past the end of the file (\(file.count) bytes)")
        }
        return result
    }
}
