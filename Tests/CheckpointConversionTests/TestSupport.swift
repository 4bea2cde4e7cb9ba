import Foundation
@testable import CheckpointConversion

/// A fresh folder under the temporary directory, removed by `remove`.
struct Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("convert-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let target = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Names of the files in a folder of the scratch area (to check nothing was left behind).
    func files(in name: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: name.isEmpty ? url.path : path(name)).sorted()
    }
}

/// Pickle bytes assembled opcode by opcode, as `torch.save` (protocol 2) would write them.
struct PickleBytes {
    var bytes: [UInt8] = []

    mutating func op(_ code: UInt8) { bytes.append(code) }
    mutating func proto(_ version: UInt8 = 2) { bytes += [0x80, version] }
    mutating func global(_ module: String, _ name: String) { bytes += [0x63] + Array("\(module)\n\(name)\n".utf8) }
    mutating func string(_ text: String) {
        let utf8 = Array(text.utf8)
        if utf8.count < 256 {
            bytes += [0x8C, UInt8(utf8.count)] + utf8  // SHORT_BINUNICODE
        } else {
            bytes += [0x58] + le(UInt32(utf8.count)) + utf8  // BINUNICODE
        }
    }
    mutating func binunicode(_ text: String) {
        let utf8 = Array(text.utf8)
        bytes += [0x58] + le(UInt32(utf8.count)) + utf8
    }
    mutating func int(_ value: Int) {
        if value >= 0 && value < 256 {
            bytes += [0x4B, UInt8(value)]
        } else if value >= 0 && value < 65536 {
            bytes += [0x4D] + le(UInt16(value))
        } else if value >= Int(Int32.min) && value <= Int(Int32.max) {
            bytes += [0x4A] + le(UInt32(bitPattern: Int32(value)))
        } else {
            bytes += [0x8A, 8] + le(UInt64(bitPattern: Int64(value)))  // LONG1
        }
    }
    mutating func mark() { op(0x28) }
    mutating func tuple() { op(0x74) }
    mutating func emptyTuple() { op(0x29) }
    mutating func emptyDict() { op(0x7D) }
    mutating func reduce() { op(0x52) }
    mutating func setItems() { op(0x75) }
    mutating func setItem() { op(0x73) }
    mutating func binput(_ index: UInt8) { bytes += [0x71, index] }
    mutating func binget(_ index: UInt8) { bytes += [0x68, index] }
    mutating func persid() { op(0x51) }
    mutating func newFalse() { op(0x89) }
    mutating func none() { op(0x4E) }
    mutating func stop() { op(0x2E) }
    mutating func intTuple(_ values: [Int]) {
        switch values.count {
        case 0: emptyTuple()
        case 1...3:
            for value in values { int(value) }
            op(0x84 + UInt8(values.count))
        default:
            mark()
            for value in values { int(value) }
            tuple()
        }
    }

    /// `torch._utils._rebuild_tensor_v2(persistent storage, offset, shape, stride, False, OrderedDict())`.
    mutating func tensor(storage key: String, storageType: String, elements: Int, offset: Int = 0,
                         shape: [Int], strides: [Int]? = nil) {
        global("torch._utils", "_rebuild_tensor_v2")
        mark()
        mark()
        string("storage")
        global("torch", storageType)
        string(key)
        string("cpu")
        int(elements)
        tuple()
        persid()
        int(offset)
        intTuple(shape)
        intTuple(strides ?? contiguousStrides(shape))
        newFalse()
        global("collections", "OrderedDict")
        emptyTuple()
        reduce()
        tuple()
        reduce()
    }

    /// A whole state dict pickle: `{name: tensor}` for each (name, key, type, shape).
    static func stateDict(_ tensors: [(name: String, key: String, type: String, shape: [Int])]) -> [UInt8] {
        var p = PickleBytes()
        p.proto()
        p.emptyDict()
        p.binput(0)
        p.mark()
        for tensor in tensors {
            p.string(tensor.name)
            p.tensor(storage: tensor.key, storageType: tensor.type, elements: tensor.shape.reduce(1, *), shape: tensor.shape)
        }
        p.setItems()
        p.stop()
        return p.bytes
    }
}

func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    for index in shape.indices.reversed().dropFirst() { strides[index] = strides[index + 1] * shape[index + 1] }
    return strides
}

func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

func floatBytes(_ values: [Float]) -> [UInt8] { values.flatMap { le($0.bitPattern) } }
func halfBytes(_ values: [Float]) -> [UInt8] { values.flatMap { le(Float16($0).bitPattern) } }
func bfloatBytes(_ values: [Float]) -> [UInt8] { values.flatMap { le(UInt16($0.bitPattern >> 16)) } }

/// A ZIP archive of stored entries, written the way `torch.save` lays one out (local headers,
/// data, central directory, end record), optionally in ZIP64 form.
struct ZipBytes {
    var entries: [(name: String, data: [UInt8], method: UInt16)] = []
    /// Write ZIP64 records (sizes and offsets in the extra field, a ZIP64 end record).
    var zip64 = false

    mutating func add(_ name: String, _ data: [UInt8], method: UInt16 = 0) { entries.append((name, data, method)) }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let offset = out.count
            let crc = CRC32.checksum(entry.data.withUnsafeBytes { UnsafeRawBufferPointer($0) })
            let name = Array(entry.name.utf8)
            let small: UInt32 = zip64 ? 0xFFFF_FFFF : UInt32(entry.data.count)
            let extra: [UInt8] = zip64 ? le(UInt16(1)) + le(UInt16(24)) + le(UInt64(entry.data.count)) + le(UInt64(entry.data.count)) + le(UInt64(offset)) : []
            let localExtra: [UInt8] = zip64 ? le(UInt16(1)) + le(UInt16(16)) + le(UInt64(entry.data.count)) + le(UInt64(entry.data.count)) : []
            out += le(UInt32(0x0403_4B50)) + le(UInt16(45)) + le(UInt16(0)) + le(entry.method) + le(UInt32(0))
            out += le(crc) + le(small) + le(small) + le(UInt16(name.count)) + le(UInt16(localExtra.count)) + name + localExtra
            out += entry.data
            central += le(UInt32(0x0201_4B50)) + le(UInt16(45)) + le(UInt16(45)) + le(UInt16(0)) + le(entry.method) + le(UInt32(0))
            central += le(crc) + le(small) + le(small) + le(UInt16(name.count)) + le(UInt16(extra.count)) + le(UInt16(0))
            central += le(UInt16(0)) + le(UInt16(0)) + le(UInt32(0)) + le(zip64 ? 0xFFFF_FFFF : UInt32(offset)) + name + extra
        }
        let directoryOffset = out.count
        out += central
        if zip64 {
            let recordOffset = out.count
            out += le(UInt32(0x0606_4B50)) + le(UInt64(44)) + le(UInt16(45)) + le(UInt16(45)) + le(UInt32(0)) + le(UInt32(0))
            out += le(UInt64(entries.count)) + le(UInt64(entries.count)) + le(UInt64(central.count)) + le(UInt64(directoryOffset))
            out += le(UInt32(0x0706_4B50)) + le(UInt32(0)) + le(UInt64(recordOffset)) + le(UInt32(1))
        }
        out += le(UInt32(0x0605_4B50)) + le(UInt16(0)) + le(UInt16(0))
        out += le(zip64 ? 0xFFFF : UInt16(entries.count)) + le(zip64 ? 0xFFFF : UInt16(entries.count))
        out += le(zip64 ? 0xFFFF_FFFF : UInt32(central.count)) + le(zip64 ? 0xFFFF_FFFF : UInt32(directoryOffset)) + le(UInt16(0))
        return out
    }

    /// A PyTorch `.bin`: `archive/data.pkl` plus one `archive/data/<key>` per storage.
    static func torchCheckpoint(pickle: [UInt8], storages: [(key: String, bytes: [UInt8])], zip64: Bool = false) -> [UInt8] {
        var zip = ZipBytes(zip64: zip64)
        zip.add("archive/data.pkl", pickle)
        zip.add("archive/byteorder", Array("little".utf8))
        for storage in storages { zip.add("archive/data/\(storage.key)", storage.bytes) }
        zip.add("archive/version", Array("3\n".utf8))
        return zip.bytes
    }
}

/// A safetensors file from (name, dtype, shape, bytes), in order.
func safetensorsBytes(_ tensors: [(name: String, dtype: String, shape: [Int], data: [UInt8])], metadata: Bool = true) -> [UInt8] {
    var header: [String: Any] = metadata ? ["__metadata__": ["format": "pt"]] : [:]
    var data: [UInt8] = []
    for tensor in tensors {
        header[tensor.name] = ["dtype": tensor.dtype, "shape": tensor.shape, "data_offsets": [data.count, data.count + tensor.data.count]]
        data += tensor.data
    }
    var json = [UInt8](try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
    while json.count % 8 != 0 { json.append(0x20) }
    return le(UInt64(json.count)) + json + data
}

/// Runs `body` and returns the `CheckpointError` it throws (nil if it does not throw).
func checkpointError(_ body: () throws(CheckpointError) -> Void) -> CheckpointError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}
