/// A hash table from byte strings to ids, looked up without building a key.
///
/// The tokenizers ask "is this run of bytes a token?" many times per word; with `[UInt8]` or
/// `String` keys every question would allocate. Here keys live in one flat buffer and a query
/// is a pointer and a length. The first value inserted for a key wins, as llama.cpp's
/// `token_to_id.emplace` does.
struct ByteStringTable: Sendable {
    private var storage: [UInt8] = []
    /// Start of entry `i`'s key in `storage`; entry `i` ends where entry `i + 1` starts.
    private var starts: [Int] = [0]
    private var values: [Int32] = []
    private var hashes: [UInt64] = []
    /// Entry index + 1 per slot; 0 marks an empty slot.
    private var slots: [Int32]
    private var mask: Int

    init(minimumCapacity: Int = 16) {
        var size = 16
        while size < minimumCapacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of keys.
    var count: Int { values.count }

    /// Inserts `key` unless present; returns the value the key maps to afterwards (the old one
    /// when it was present).
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: Int32) -> Int32 {
        let hash = Self.hash(key)
        if let existing = find(key, hash: hash) { return values[existing] }
        if (values.count + 1) * 2 > slots.count { grow() }
        storage.append(contentsOf: key)
        starts.append(storage.count)
        values.append(value)
        hashes.append(hash)
        place(entry: values.count - 1, hash: hash)
        return value
    }

    /// `insert` for keys held in any collection.
    @discardableResult
    mutating func insert(_ key: some Collection<UInt8>, value: Int32) -> Int32 {
        if let result = key.withContiguousStorageIfAvailable({ insert($0, value: value) }) { return result }
        return Array(key).withUnsafeBufferPointer { insert($0, value: value) }
    }

    /// The value for the bytes in `key`, or nil.
    @inline(__always)
    func value(for key: UnsafeBufferPointer<UInt8>) -> Int32? {
        find(key, hash: Self.hash(key)).map { values[$0] }
    }

    /// The value for a key given as an array, or nil.
    func value(for key: [UInt8]) -> Int32? {
        key.withUnsafeBufferPointer { value(for: $0) }
    }

    private func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        return storage.withUnsafeBufferPointer { stored in
            while true {
                let marker = slots[slot]
                if marker == 0 { return nil }
                let entry = Int(marker) - 1
                if hashes[entry] == hash {
                    let start = starts[entry]
                    let length = starts[entry + 1] - start
                    if length == key.count
                        && (length == 0 || memoryEqual(stored.baseAddress! + start, key.baseAddress!, length)) {
                        return entry
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func place(entry: Int, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry + 1)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for entry in 0 ..< values.count { place(entry: entry, hash: hashes[entry]) }
    }

    /// FNV-1a over the bytes, with a final mix so the low bits used for slots are well spread.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }
}

@inline(__always)
private func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for i in 0 ..< count where a[i] != b[i] { return false }
    return true
}
