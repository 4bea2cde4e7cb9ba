import Foundation
import Testing
@testable import ModelFiles
import Tensors

/// Every way a file can be broken must give one clear error, never a crash or a hang.
@Suite("GGUF reader rejects broken files")
final class CorruptionTests {
    let scratch: ScratchDirectory

    init() throws { scratch = try ScratchDirectory() }
    deinit { scratch.remove() }

    /// Writes `bytes` and returns the error opening them gives (failing the test if none).
    func error(of bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> ModelFileError {
        let path = try scratch.write(bytes, to: "broken.gguf")
        let error = try #require(openError(path), "expected an error", sourceLocation: sourceLocation)
        #expect(error.path == path, sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix(path + ": "), sourceLocation: sourceLocation)
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        return error
    }

    /// A valid file holding one F32 tensor of four elements, built by hand.
    func oneTensorFile(offset: UInt64 = 0, dims: [UInt64] = [4], type: UInt32 = 0, dataBytes: Int = 16) -> RawGGUF {
        var raw = RawGGUF(tensorCount: 1, keyCount: 1)
        raw.keyString("general.architecture", "test")
        raw.tensor("w", dims: dims, type: type, offset: offset)
        raw.pad()
        raw.zeros(dataBytes)
        return raw
    }

    // MARK: - The file itself

    @Test func missingFile() throws {
        let path = scratch.path("nope.gguf")
        #expect(openError(path) == .fileNotFound(path: path))
        #expect(openError(path)?.description == "\(path): no such file")
    }

    @Test func directoryIsUnreadable() throws {
        let error = try #require(openError(scratch.url.path))
        guard case .unreadable(_, let reason) = error else { Issue.record("got \(error)"); return }
        #expect(reason.contains("directory"))
    }

    @Test("a FIFO is refused without blocking")
    func fifoIsUnreadable() throws {
        let path = scratch.path("pipe")
        #expect(mkfifo(path, 0o644) == 0)
        let error = try #require(openError(path))
        guard case .unreadable = error else { Issue.record("got \(error)"); return }
    }

    @Test func tooSmall() throws {
        #expect(try error(of: []) == .tooSmall(path: scratch.path("broken.gguf"), size: 0, minimum: 24))
        #expect(try error(of: Array("GG".utf8)) == .tooSmall(path: scratch.path("broken.gguf"), size: 2, minimum: 24))
        let shortHeader = Array(RawGGUF(tensorCount: 0, keyCount: 0).bytes.prefix(20))
        #expect(try error(of: shortHeader) == .tooSmall(path: scratch.path("broken.gguf"), size: 20, minimum: 24))
    }

    @Test func wrongMagic() throws {
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 60)
        let e = try error(of: zip)
        #expect(e == .notGGUF(path: scratch.path("broken.gguf"), found: [0x50, 0x4B, 0x03, 0x04]))
        #expect(e.description.hasSuffix(": not a GGUF file (starts with 'PK\\x03\\x04')"))
        // Safetensors starts with a length; a text file with text.
        #expect(try error(of: Array("{\"hello\": 1}".utf8)).description.contains("starts with '{\"he'"))
    }

    @Test func unsupportedVersions() throws {
        let path = scratch.path("broken.gguf")
        #expect(try error(of: RawGGUF(version: 1, tensorCount: 0, keyCount: 0).bytes)
            == .unsupportedVersion(path: path, version: 1))
        #expect(try error(of: RawGGUF(version: 1, tensorCount: 0, keyCount: 0).bytes).description.contains("version 1"))
        #expect(try error(of: RawGGUF(version: 4, tensorCount: 0, keyCount: 0).bytes)
            == .unsupportedVersion(path: path, version: 4))
        #expect(try error(of: RawGGUF(version: 0, tensorCount: 0, keyCount: 0).bytes)
            == .unsupportedVersion(path: path, version: 0))
    }

    @Test("a big-endian file is named as such")
    func bigEndian() throws {
        var raw = RawGGUF(version: UInt32(3).byteSwapped, tensorCount: 0, keyCount: 0)
        raw.zeros(8)
        let e = try error(of: raw.bytes)
        #expect(e == .bigEndian(path: scratch.path("broken.gguf"), version: 0x0300_0000))
        #expect(e.description.contains("big-endian"))
    }

    // MARK: - Truncation and random damage

    @Test("every prefix of a valid file throws")
    func everyPrefixThrows() throws {
        let bytes = try sampleFileBytes(in: scratch)
        #expect(openError(try scratch.write(bytes, to: "whole.gguf")) == nil)
        // The last tensor's data is padded; cutting only padding leaves a valid file, so
        // prefixes are checked up to the end of the last tensor's data.
        let file = try GGUFFile.open(path: scratch.path("whole.gguf"))
        let dataEnd = file.dataOffset + file.tensors.map { $0.offset + $0.byteCount }.max()!
        var kinds: [String: Int] = [:]
        for length in 0 ..< dataEnd {
            let e = try error(of: Array(bytes.prefix(length)))
            kinds[Mirror(reflecting: e).children.first?.label ?? "?", default: 0] += 1
        }
        // The cuts land in the header, in metadata and in tensor data alike.
        #expect(kinds["tooSmall"] != nil)
        #expect(kinds["truncated"] != nil)
        #expect(kinds["dataOutOfBounds"] != nil)
    }

    @Test("flipping any header byte never crashes")
    func flippedBytes() throws {
        let bytes = try sampleFileBytes(in: scratch)
        let file = try GGUFFile.open(path: try scratch.write(bytes, to: "whole.gguf"))
        var rejected = 0
        for position in 0 ..< file.dataOffset {
            for mask: UInt8 in [0xFF, 0x80, 0x01] {
                var damaged = bytes
                damaged[position] ^= mask
                let path = try scratch.write(damaged, to: "flipped.gguf")
                if let e = openError(path) {
                    rejected += 1
                    #expect(!e.description.contains("\n"))
                }
            }
        }
        // Most flips in counts, lengths, types and magic must be caught.
        #expect(rejected > file.dataOffset / 2)
    }

    @Test("random damage anywhere never crashes")
    func randomDamage() throws {
        let bytes = try sampleFileBytes(in: scratch)
        var generator = SeededGenerator(seed: 0x6767_7566)
        for _ in 0 ..< 1500 {
            var damaged = bytes
            for _ in 0 ..< Int.random(in: 1 ... 8, using: &generator) {
                let position = Int.random(in: 0 ..< damaged.count, using: &generator)
                damaged[position] = UInt8.random(in: 0 ... 255, using: &generator)
            }
            if Bool.random(using: &generator) {
                damaged = Array(damaged.prefix(Int.random(in: 0 ... damaged.count, using: &generator)))
            }
            let path = try scratch.write(damaged, to: "random.gguf")
            if let file = try? GGUFFile.open(path: path) {
                // Whatever opens must be internally consistent.
                for tensor in file.tensors {
                    #expect(file.dataOffset + tensor.offset + tensor.byteCount <= file.fileSize)
                }
            }
        }
    }

    @Test("random garbage after a valid magic never crashes")
    func randomGarbage() throws {
        var generator = SeededGenerator(seed: 42)
        for round in 0 ..< 500 {
            var raw = RawGGUF(version: round % 2 == 0 ? 3 : 2,
                              tensorCount: UInt64(round % 4), keyCount: UInt64(round % 5))
            raw.raw(randomBytes(Int.random(in: 0 ... 300, using: &generator), using: &generator))
            _ = openError(try scratch.write(raw.bytes, to: "garbage.gguf"))
        }
    }

    // MARK: - Counts and lengths

    @Test("absurd counts fail fast without allocating")
    func absurdCounts() throws {
        var keys = RawGGUF(tensorCount: 0, keyCount: 1 << 60)
        keys.zeros(64)
        guard case .countTooLarge(_, "metadata key", 1 << 60, 16, 64) = try error(of: keys.bytes) else {
            Issue.record("key count"); return
        }

        var tensors = RawGGUF(tensorCount: 1 << 60, keyCount: 0)
        tensors.zeros(64)
        guard case .countTooLarge(_, "tensor", _, 8, _) = try error(of: tensors.bytes) else {
            Issue.record("tensor count"); return
        }

        for elementType in [GGUFValueType.string, GGUFValueType.uint8, GGUFValueType.array] {
            var array = RawGGUF(tensorCount: 0, keyCount: 1)
            array.string("tokenizer.ggml.tokens")
            array.u32(GGUFValueType.array)
            array.u32(elementType)
            array.u64(1 << 60)
            array.zeros(100)
            let e = try error(of: array.bytes)
            guard case .countTooLarge = e else { Issue.record("array of \(elementType): \(e)"); continue }
            #expect(e.description.contains("tokenizer.ggml.tokens"))
        }

        var maxCount = RawGGUF(tensorCount: 0, keyCount: UInt64.max)
        maxCount.zeros(64)
        guard case .countTooLarge = try error(of: maxCount.bytes) else { Issue.record("UInt64.max"); return }
    }

    @Test("absurd string lengths are caught before reading")
    func absurdStringLengths() throws {
        for length in [UInt64(1) << 63, UInt64.max, 1000] {
            var key = RawGGUF(tensorCount: 0, keyCount: 1)
            key.u64(length)
            key.raw(Array("abc".utf8))
            key.zeros(20)  // enough bytes for the key count to be plausible
            guard case .truncated = try error(of: key.bytes) else { Issue.record("key length \(length)"); continue }

            var value = RawGGUF(tensorCount: 0, keyCount: 1)
            value.string("general.name")
            value.u32(GGUFValueType.string)
            value.u64(length)
            value.zeros(10)
            let e = try error(of: value.bytes)
            guard case .truncated = e else { Issue.record("value length \(length)"); continue }
            #expect(e.description.contains("general.name"))
        }
    }

    @Test("truncated metadata names what was being read")
    func truncatedMetadata() throws {
        var raw = RawGGUF(tensorCount: 0, keyCount: 2)
        raw.keyUInt32("llama.block_count", 30)
        raw.string("llama.embedding_length")
        raw.u32(GGUFValueType.uint32)
        raw.raw([1, 2])  // two of four bytes
        let e = try error(of: raw.bytes)
        #expect(e == .truncated(path: scratch.path("broken.gguf"),
                                what: "the value of metadata 'llama.embedding_length'",
                                offset: raw.bytes.count - 2, needed: 4, available: 2))
    }

    // MARK: - Values

    @Test("unknown value types are rejected, in a key and in an array")
    func badValueType() throws {
        var raw = RawGGUF(tensorCount: 0, keyCount: 1)
        raw.string("odd.key")
        raw.u32(13)
        raw.zeros(16)
        #expect(try error(of: raw.bytes) == .badValueType(path: scratch.path("broken.gguf"), key: "odd.key",
                                                          type: 13, offset: 24 + 8 + 7))
        var array = RawGGUF(tensorCount: 0, keyCount: 1)
        array.string("odd.array")
        array.u32(GGUFValueType.array)
        array.u32(0xFFFF_FFFF)
        array.u64(1)
        array.zeros(16)
        guard case .badValueType(_, "odd.array", 0xFFFF_FFFF, _) = try error(of: array.bytes) else {
            Issue.record("array element type"); return
        }
    }

    @Test("invalid UTF-8 in a key or a string names the key")
    func invalidUTF8() throws {
        var key = RawGGUF(tensorCount: 0, keyCount: 2)
        key.keyUInt32("good.key", 1)
        key.stringBytes([0x62, 0x61, 0x64, 0xC3, 0x28])
        key.u32(GGUFValueType.uint8)
        key.u8(0)
        let keyError = try error(of: key.bytes)
        guard case .invalidUTF8(_, "metadata key", "bad\u{FFFD}(", let offset) = keyError else {
            Issue.record("\(keyError)"); return
        }
        #expect(offset == 24 + 8 + 8 + 4 + 4)
        #expect(keyError.description.hasSuffix("metadata key 'bad\u{FFFD}(' at byte \(offset) is not valid UTF-8"))

        var value = RawGGUF(tensorCount: 0, keyCount: 1)
        value.string("general.name")
        value.u32(GGUFValueType.string)
        value.stringBytes([0xFF, 0xFE])
        let valueError = try error(of: value.bytes)
        guard case .invalidUTF8(_, _, "general.name", _) = valueError else { Issue.record("\(valueError)"); return }
        #expect(valueError.description.contains("'general.name'"))

        var list = RawGGUF(tensorCount: 0, keyCount: 1)
        list.string("tokenizer.ggml.tokens")
        list.u32(GGUFValueType.array)
        list.u32(GGUFValueType.string)
        list.u64(2)
        list.string("fine")
        list.stringBytes([0xED, 0xA0, 0x80])  // an encoded surrogate, invalid in UTF-8
        guard case .invalidUTF8(_, _, "tokenizer.ggml.tokens", _) = try error(of: list.bytes) else {
            Issue.record("array string"); return
        }
    }

    @Test("a bool byte other than 0 or 1 is rejected")
    func badBool() throws {
        var raw = RawGGUF(tensorCount: 0, keyCount: 1)
        raw.string("tokenizer.ggml.add_bos_token")
        raw.u32(GGUFValueType.bool)
        raw.u8(2)
        guard case .badMetadata(_, "tokenizer.ggml.add_bos_token", _) = try error(of: raw.bytes) else {
            Issue.record("bool"); return
        }
    }

    @Test func duplicateKey() throws {
        var raw = RawGGUF(tensorCount: 0, keyCount: 2)
        raw.keyUInt32("llama.block_count", 30)
        raw.keyUInt32("llama.block_count", 31)
        #expect(try error(of: raw.bytes) == .duplicateKey(path: scratch.path("broken.gguf"), key: "llama.block_count"))
    }

    @Test("arrays nested without end are refused, not recursed into")
    func deepNesting() throws {
        for depth in [17, 100_000] {
            var raw = RawGGUF(tensorCount: 0, keyCount: 1)
            raw.string("deep")
            raw.u32(GGUFValueType.array)
            for _ in 0 ..< depth {
                raw.u32(GGUFValueType.array)
                raw.u64(1)
            }
            raw.u32(GGUFValueType.uint8)
            raw.u64(0)
            guard case .badMetadata(_, "deep", let reason) = try error(of: raw.bytes) else {
                Issue.record("depth \(depth)"); continue
            }
            #expect(reason.contains("nested"))
        }
    }

    @Test("alignment must be a positive power of two held in an integer", arguments: [
        GGUFValue.uint32(48), .uint32(0), .int32(-32), .string("32"), .uint64(1 << 63),
    ])
    func badAlignment(value: GGUFValue) throws {
        var raw = RawGGUF(tensorCount: 0, keyCount: 1)
        raw.string("general.alignment")
        var encoder = GGUFEncoder()
        encoder.append(value.typeID)
        encoder.append(value: value)
        raw.raw(encoder.bytes)
        guard case .badMetadata(_, "general.alignment", _) = try error(of: raw.bytes) else {
            Issue.record("alignment \(value)"); return
        }
    }

    // MARK: - Tensor infos

    @Test("a well-formed hand-built file opens (the baseline for the cases below)")
    func baseline() throws {
        let path = try scratch.write(oneTensorFile().bytes, to: "good.gguf")
        let file = try GGUFFile.open(path: path)
        #expect(file.tensors.first?.byteCount == 16)
    }

    @Test("dimension counts outside 1...4 are rejected", arguments: [0, 5, 1000])
    func dimensionCount(count: Int) throws {
        var raw = RawGGUF(tensorCount: 1, keyCount: 0)
        raw.string("w")
        raw.u32(UInt32(count))
        for _ in 0 ..< count { raw.u64(1) }
        raw.u32(0)
        raw.u64(0)
        raw.pad()
        raw.zeros(64)
        let e = try error(of: raw.bytes)
        guard case .badTensorInfo(_, "w", let reason) = e else { Issue.record("\(e)"); return }
        #expect(reason.contains("\(count) dimensions"))
    }

    @Test("absurd dimensions are rejected", arguments: [
        [UInt64(0)], [4, 0], [UInt64(bitPattern: -1)], [UInt64.max], [1 << 62, 1 << 62],
        [1 << 32, 1 << 32, 1 << 32], [1 << 61, 1 << 2],
    ])
    func absurdDimensions(dims: [UInt64]) throws {
        let e = try error(of: oneTensorFile(dims: dims).bytes)
        guard case .badTensorInfo(_, "w", _) = e else { Issue.record("\(dims): \(e)"); return }
    }

    @Test("a row length that is not a whole number of blocks is rejected")
    func rowNotWholeBlocks() throws {
        let e = try error(of: oneTensorFile(dims: [33, 2], type: GGMLType.q4_0.rawValue, dataBytes: 64).bytes)
        guard case .badTensorInfo(_, "w", let reason) = e else { Issue.record("\(e)"); return }
        #expect(reason.contains("block size 32"))
    }

    @Test("unknown tensor types are rejected", arguments: [UInt32(4), 5, 31, 99, .max])
    func unknownTensorType(type: UInt32) throws {
        let e = try error(of: oneTensorFile(type: type).bytes)
        guard case .badTensorInfo(_, "w", let reason) = e else { Issue.record("\(e)"); return }
        #expect(reason.contains("unknown type id \(type)"))
    }

    @Test("offsets not aligned to the alignment are rejected")
    func unalignedOffset() throws {
        let e = try error(of: oneTensorFile(offset: 16, dataBytes: 64).bytes)
        guard case .badTensorInfo(_, "w", let reason) = e else { Issue.record("\(e)"); return }
        #expect(reason.contains("alignment 32"))
    }

    @Test("data past the end of the file is rejected with the byte positions")
    func dataOutOfBounds() throws {
        let raw = oneTensorFile(dataBytes: 15)
        let e = try error(of: raw.bytes)
        let path = scratch.path("broken.gguf")
        #expect(e == .dataOutOfBounds(path: path, tensor: "w", end: raw.bytes.count + 1, fileSize: raw.bytes.count))
        #expect(e.description == "\(path): tensor 'w' data ends at byte \(raw.bytes.count + 1) "
                + "past the end of the file (\(raw.bytes.count) bytes)")
        for offset in [UInt64(1) << 40, UInt64(Int64.max) - 31, UInt64.max - 31] {
            let far = try error(of: oneTensorFile(offset: offset).bytes)
            switch far {
            case .dataOutOfBounds, .badTensorInfo: break
            default: Issue.record("offset \(offset): \(far)")
            }
        }
    }

    @Test("overlapping tensors are rejected")
    func overlapping() throws {
        var raw = RawGGUF(tensorCount: 2, keyCount: 0)
        raw.tensor("a", dims: [16], type: 0, offset: 0)   // 64 bytes
        raw.tensor("b", dims: [8], type: 0, offset: 32)   // starts inside a
        raw.pad()
        raw.zeros(128)
        #expect(try error(of: raw.bytes) == .overlappingTensors(path: scratch.path("broken.gguf"), first: "a", second: "b"))
    }

    @Test func duplicateTensorNames() throws {
        var raw = RawGGUF(tensorCount: 2, keyCount: 0)
        raw.tensor("a", dims: [8], type: 0, offset: 0)
        raw.tensor("a", dims: [8], type: 0, offset: 32)
        raw.pad()
        raw.zeros(64)
        #expect(try error(of: raw.bytes) == .duplicateTensor(path: scratch.path("broken.gguf"), name: "a"))
    }

    @Test("invalid UTF-8 in a tensor name is rejected")
    func badTensorName() throws {
        var raw = RawGGUF(tensorCount: 1, keyCount: 0)
        raw.stringBytes([0x80])
        raw.u32(1)
        raw.u64(8)
        raw.u32(0)
        raw.u64(0)
        raw.pad()
        raw.zeros(32)
        guard case .badTensorInfo(_, "#0", _) = try error(of: raw.bytes) else { Issue.record("name"); return }
    }

    @Test("control characters in names stay on one escaped line")
    func escapedNames() throws {
        var raw = RawGGUF(tensorCount: 0, keyCount: 2)
        raw.keyUInt32("evil\nkey'", 1)
        raw.keyUInt32("evil\nkey'", 1)
        let e = try error(of: raw.bytes)
        #expect(e.description.hasSuffix("metadata key 'evil\\nkey\\'' appears more than once"))
    }
}
