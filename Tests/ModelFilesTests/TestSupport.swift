import Foundation
@testable import ModelFiles
import Tensors

/// A fresh directory under the system temporary folder, removed when `remove` is called.
struct ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gguf-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to a file in the directory with plain system calls (Foundation's
    /// `Data.write` costs milliseconds a call, and the damage tests write thousands of files).
    /// An old file is unlinked first: truncating one makes ext4 flush it, which is slow too.
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let target = path(name)
        unlink(target)
        let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw POSIXError(.EIO) }
        return target
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

func readBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

/// Opens a file and returns the error, or nil if it opened (the tests' way to say "must throw").
func openError(_ path: String) -> ModelFileError? {
    do {
        _ = try GGUFFile.open(path: path)
        return nil
    } catch {
        return error
    }
}

/// Builds GGUF bytes field by field, without any checks, so tests can write exactly the
/// malformed files they need. Everything is little-endian as the format requires.
struct RawGGUF {
    var bytes: [UInt8] = []

    /// "GGUF", version, tensor count, key count.
    init(version: UInt32 = 3, tensorCount: UInt64, keyCount: UInt64) {
        bytes = Array("GGUF".utf8)
        u32(version)
        u64(tensorCount)
        u64(keyCount)
    }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func raw(_ v: [UInt8]) { bytes.append(contentsOf: v) }

    mutating func string(_ s: String) { stringBytes(Array(s.utf8)) }
    mutating func stringBytes(_ b: [UInt8]) {
        u64(UInt64(b.count))
        bytes.append(contentsOf: b)
    }

    /// A key with a uint32 value.
    mutating func keyUInt32(_ key: String, _ value: UInt32) {
        string(key)
        u32(GGUFValueType.uint32)
        u32(value)
    }

    /// A key with a string value.
    mutating func keyString(_ key: String, _ value: String) {
        string(key)
        u32(GGUFValueType.string)
        string(value)
    }

    /// A tensor info entry.
    mutating func tensor(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) {
        string(name)
        u32(UInt32(dims.count))
        for d in dims { u64(d) }
        u32(type)
        u64(offset)
    }

    /// Zero bytes up to a multiple of `alignment`.
    mutating func pad(_ alignment: Int = 32) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    mutating func zeros(_ count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }
}

/// Deterministic pseudo-random bytes (SplitMix64), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func randomBytes(_ count: Int, using generator: inout SeededGenerator) -> [UInt8] {
    (0 ..< count).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
}

/// Metadata covering every value type, edge values, and nested arrays.
func everyValueTypeMetadata() -> [(key: String, value: GGUFValue)] {
    [
        ("test.uint8", .uint8(.max)), ("test.int8", .int8(.min)),
        ("test.uint16", .uint16(.max)), ("test.int16", .int16(.min)),
        ("test.uint32", .uint32(.max)), ("test.int32", .int32(.min)),
        ("test.uint64", .uint64(.max)), ("test.int64", .int64(.min)),
        ("test.float32", .float32(-1.5e-7)), ("test.float64", .float64(.pi)),
        ("test.float32_inf", .float32(.infinity)),
        ("test.bool_true", .bool(true)), ("test.bool_false", .bool(false)),
        ("test.string", .string("héllo, 世界 🎉")), ("test.empty_string", .string("")),
        ("test.array_uint8", .array(elementType: GGUFValueType.uint8, values: [.uint8(0), .uint8(255)])),
        ("test.array_int8", .array(elementType: GGUFValueType.int8, values: [.int8(-128), .int8(127)])),
        ("test.array_uint16", .array(elementType: GGUFValueType.uint16, values: [.uint16(65535)])),
        ("test.array_int16", .array(elementType: GGUFValueType.int16, values: [.int16(-32768)])),
        ("test.array_uint32", .array(elementType: GGUFValueType.uint32, values: [.uint32(1), .uint32(2)])),
        ("test.array_int32", .array(elementType: GGUFValueType.int32, values: [.int32(-1), .int32(3)])),
        ("test.array_uint64", .array(elementType: GGUFValueType.uint64, values: [.uint64(1 << 63)])),
        ("test.array_int64", .array(elementType: GGUFValueType.int64, values: [.int64(-(1 << 62))])),
        ("test.array_float32", .array(elementType: GGUFValueType.float32, values: [.float32(0.25), .float32(-2)])),
        ("test.array_float64", .array(elementType: GGUFValueType.float64, values: [.float64(1e300)])),
        ("test.array_bool", .array(elementType: GGUFValueType.bool, values: [.bool(true), .bool(false)])),
        ("test.array_string", .array(elementType: GGUFValueType.string, values: [.string("a"), .string(""), .string("ü")])),
        ("test.array_empty", .array(elementType: GGUFValueType.float32, values: [])),
        ("test.array_of_arrays", .array(elementType: GGUFValueType.array, values: [
            .array(elementType: GGUFValueType.int32, values: [.int32(1), .int32(2)]),
            .array(elementType: GGUFValueType.string, values: [.string("x")]),
            .array(elementType: GGUFValueType.array, values: [
                .array(elementType: GGUFValueType.bool, values: [.bool(true)]),
            ]),
            .array(elementType: GGUFValueType.uint8, values: []),
        ])),
    ]
}

/// Bytes of a tensor of `type` and `dimensions`, filled with a recognisable pattern.
func patternBytes(type: GGMLType, dimensions: [Int], seed: UInt8) -> [UInt8] {
    let elements = dimensions.reduce(1, *)
    let count = type.byteCount(elements: elements)!
    return (0 ..< count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
}

/// Tensors of several types and shapes, as the writer takes them.
func sampleTensors() -> [GGUFWriter.Tensor] {
    let shapes: [(String, GGMLType, [Int])] = [
        ("f32.vector", .f32, [5]),
        ("f16.matrix", .f16, [3, 7]),
        ("q4_0.matrix", .q4_0, [64, 3]),
        ("q8_0.cube", .q8_0, [32, 2, 3]),
        ("q4_k.matrix", .q4_K, [256, 2]),
        ("i32.four_d", .i32, [2, 3, 1, 2]),
        ("bf16.vector", .bf16, [1]),
    ]
    return shapes.enumerated().map { index, shape in
        GGUFWriter.Tensor(name: shape.0, type: shape.1, dimensions: shape.2,
                          bytes: patternBytes(type: shape.1, dimensions: shape.2, seed: UInt8(index)))
    }
}

/// A small valid file with every value type and several tensors; its bytes.
func sampleFileBytes(in scratch: ScratchDirectory, alignment: Int = 32) throws -> [UInt8] {
    let path = scratch.path("sample-\(alignment).gguf")
    try GGUFWriter.write(path: path, metadata: everyValueTypeMetadata(), tensors: sampleTensors(),
                         alignment: alignment)
    return try readBytes(path)
}
