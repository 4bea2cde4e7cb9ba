import Foundation
import Testing
@testable import CheckpointConversion

/// The ZIP directory reader, the PyTorch archive reader on top of it, and the safetensors
/// reader, on files written by the tests.
@Suite final class ArchiveReaderTests {
    let scratch: Scratch

    init() throws { scratch = try Scratch() }
    deinit { scratch.remove() }

    @Test func crc32MatchesTheStandardCheckValue() {
        let check = Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) }
        #expect(check == 0xCBF4_3926)
        // Split anywhere, continuing gives the same CRC (the 8-byte path and the tail agree).
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let whole = data.withUnsafeBytes { CRC32.checksum($0) }
        for split in [0, 1, 7, 8, 9, 500, 999] {
            let first = data[..<split].withUnsafeBytes { CRC32.checksum($0) }
            let both = data[split...].withUnsafeBytes { CRC32.checksum($0, continuing: first) }
            #expect(both == whole, "split at \(split)")
        }
    }

    func zip(_ bytes: [UInt8]) throws(CheckpointError) -> ZipArchive {
        var result: ZipArchive?
        var failure: CheckpointError?
        bytes.withUnsafeBytes { raw in
            do throws(CheckpointError) { result = try ZipArchive(bytes: raw, path: "x.bin") } catch { failure = error }
        }
        if let failure { throw failure }
        return result!
    }

    @Test(arguments: [false, true])
    func readsStoredEntries(zip64: Bool) throws {
        var builder = ZipBytes(zip64: zip64)
        builder.add("archive/data.pkl", [1, 2, 3])
        builder.add("archive/data/0", Array(repeating: 7, count: 100))
        builder.add("archive/empty", [])
        let bytes = builder.bytes
        let archive = try zip(bytes)
        #expect(archive.entries.map(\.name) == ["archive/data.pkl", "archive/data/0", "archive/empty"])
        let entry = try #require(archive.entry(named: "archive/data/0"))
        #expect(entry.size == 100)
        #expect(Array(bytes[entry.dataOffset..<(entry.dataOffset + 100)]) == Array(repeating: 7, count: 100))
        #expect(archive.entry(named: "archive/empty")?.size == 0)
    }

    @Test func compressedEntriesAreRefusedClearly() throws {
        var builder = ZipBytes()
        builder.add("archive/data.pkl", [1, 2, 3], method: 8)
        let failure = try #require(checkpointError { () throws(CheckpointError) in _ = try zip(builder.bytes) })
        guard case .unsupported(let path, let reason) = failure else { Issue.record("got \(failure)"); return }
        #expect(path == "x.bin")
        #expect(reason.contains("compressed"))
    }

    /// Every truncation of an archive, and damage to each byte of its directory, gives an
    /// error and never a crash.
    @Test(arguments: [false, true])
    func damagedArchivesAreErrors(zip64: Bool) throws {
        var builder = ZipBytes(zip64: zip64)
        builder.add("archive/data.pkl", Array(repeating: 1, count: 40))
        builder.add("archive/data/0", Array(repeating: 2, count: 64))
        let bytes = builder.bytes
        for length in 0..<bytes.count {
            #expect(checkpointError { () throws(CheckpointError) in _ = try zip(Array(bytes.prefix(length))) } != nil, "prefix \(length)")
        }
        // Flip bytes of the central directory and end records: either an error or a directory
        // that still lies inside the file.
        let signature: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
        let directoryStart = try #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == signature })
        for index in directoryStart..<bytes.count {
            var damaged = bytes
            damaged[index] ^= 0xA5
            do {
                let archive = try zip(damaged)
                for entry in archive.entries { #expect(entry.dataOffset + entry.size <= damaged.count) }
            } catch {
                #expect(error.description.hasPrefix("x.bin: "))
            }
        }
    }

    @Test func notAZipFile() throws {
        let failure = try #require(checkpointError { () throws(CheckpointError) in _ = try zip(Array(repeating: 0x41, count: 100)) })
        #expect(failure.description.contains("no ZIP end-of-central-directory record"))
    }

    // MARK: - PyTorch archives

    @Test func pytorchArchiveTensorsReadAsFloats() throws {
        let weight: [Float] = [1, -2, 3.5, 0.25, 1000, -0.125]
        let pickle = PickleBytes.stateDict([("w", "0", "HalfStorage", [2, 3]), ("b", "1", "BFloat16Storage", [2]),
                                            ("c", "2", "FloatStorage", [3])])
        let bytes = ZipBytes.torchCheckpoint(pickle: pickle, storages: [
            ("0", halfBytes(weight)), ("1", bfloatBytes([2, -4])), ("2", floatBytes([0.1, 0.2, 0.3])),
        ])
        let path = try scratch.write(bytes, to: "model.bin")
        let shard = try PyTorchArchiveReader.open(path: path)
        #expect(shard.tensors.map(\.name) == ["w", "b", "c"])
        #expect(try shard.tensors[0].readAll() == weight)
        #expect(try shard.tensors[1].readAll() == [2, -4])
        #expect(try shard.tensors[2].readAll() == [0.1, 0.2, 0.3])
        var rows = [Float](repeating: 0, count: 3)
        try rows.withUnsafeMutableBufferPointer { (b) throws(CheckpointError) in try shard.tensors[0].readRows(1..<2, into: b.baseAddress!) }
        #expect(rows == [0.25, 1000, -0.125])
    }

    /// A transposed view (non-contiguous strides) with an offset reads in the shape's order.
    @Test func stridedViewsReadInShapeOrder() throws {
        var p = PickleBytes()
        p.proto()
        p.emptyDict()
        p.string("t")
        p.tensor(storage: "0", storageType: "FloatStorage", elements: 7, offset: 1, shape: [3, 2], strides: [1, 3])
        p.setItem()
        p.stop()
        let storage: [Float] = [99, 0, 1, 2, 3, 4, 5]  // a [2, 3] matrix after one element
        let path = try scratch.write(ZipBytes.torchCheckpoint(pickle: p.bytes, storages: [("0", floatBytes(storage))]), to: "t.bin")
        let tensor = try #require(try PyTorchArchiveReader.open(path: path).tensors.first)
        #expect(!tensor.isContiguous)
        #expect(try tensor.readAll() == [0, 3, 1, 4, 2, 5])
        var row = [Float](repeating: 0, count: 2)
        try row.withUnsafeMutableBufferPointer { (b) throws(CheckpointError) in try tensor.readRows(2..<3, into: b.baseAddress!) }
        #expect(row == [2, 5])
    }

    @Test func viewReachingPastItsStorageIsCorrupt() throws {
        var p = PickleBytes()
        p.proto()
        p.emptyDict()
        p.string("t")
        p.tensor(storage: "0", storageType: "FloatStorage", elements: 4, offset: 2, shape: [4], strides: [1])
        p.setItem()
        p.stop()
        let path = try scratch.write(ZipBytes.torchCheckpoint(pickle: p.bytes, storages: [("0", floatBytes([1, 2, 3, 4]))]), to: "t.bin")
        let failure = try #require(checkpointError { () throws(CheckpointError) in _ = try PyTorchArchiveReader.open(path: path) })
        guard case .corrupt(let failedPath, _, let reason) = failure else { Issue.record("got \(failure)"); return }
        #expect(failedPath == path)
        #expect(reason.contains("reaches past"))
    }

    @Test func missingStorageEntryAndShortStorage() throws {
        let pickle = PickleBytes.stateDict([("w", "0", "FloatStorage", [4])])
        let missing = try scratch.write(ZipBytes.torchCheckpoint(pickle: pickle, storages: []), to: "a.bin")
        let first = try #require(checkpointError { () throws(CheckpointError) in _ = try PyTorchArchiveReader.open(path: missing) })
        #expect(first.description.contains("archive/data/0"))
        let short = try scratch.write(ZipBytes.torchCheckpoint(pickle: pickle, storages: [("0", floatBytes([1, 2]))]), to: "b.bin")
        let second = try #require(checkpointError { () throws(CheckpointError) in _ = try PyTorchArchiveReader.open(path: short) })
        #expect(second.description.contains("fewer than"))
    }

    /// A flipped bit in tensor data is caught by the entry's CRC when the tensor is read.
    @Test func damagedTensorDataFailsItsCRC() throws {
        let pickle = PickleBytes.stateDict([("w", "0", "FloatStorage", [4])])
        var bytes = ZipBytes.torchCheckpoint(pickle: pickle, storages: [("0", floatBytes([1, 2, 3, 4]))])
        let marker = floatBytes([1, 2, 3, 4])
        let start = try #require((0...(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker })
        bytes[start + 5] ^= 0x10
        let path = try scratch.write(bytes, to: "bad.bin")
        let tensor = try #require(try PyTorchArchiveReader.open(path: path).tensors.first)
        let failure = try #require(checkpointError { () throws(CheckpointError) in _ = try tensor.readAll() })
        #expect(failure.description.contains("CRC-32"))
        #expect(failure.description.hasPrefix(path + ": "))
    }

    @Test func forbiddenGlobalInsideAnArchiveNamesTheFile() throws {
        var p = PickleBytes()
        p.proto()
        p.global("os", "system")
        p.stop()
        let path = try scratch.write(ZipBytes.torchCheckpoint(pickle: p.bytes, storages: []), to: "pytorch_model-00001-of-00002.bin")
        let failure = try #require(checkpointError { () throws(CheckpointError) in _ = try PyTorchArchiveReader.open(path: path) })
        #expect(failure.description == "\(path): forbidden pickle global 'os.system'")
    }

    @Test func legacyTorchSaveFilesAreRefused() throws {
        let path = try scratch.write([0x80, 0x02, 0x8A, 0x0A] + Array(repeating: 0, count: 40), to: "old.bin")
        let failure = try #require(checkpointError { () throws(CheckpointError) in _ = try PyTorchArchiveReader.open(path: path) })
        #expect(failure.description.contains("legacy"))
    }

    @Test func bigEndianArchivesAreRefused() throws {
        var zip = ZipBytes()
        zip.add("archive/data.pkl", PickleBytes.stateDict([]))
        zip.add("archive/byteorder", Array("big".utf8))
        let path = try scratch.write(zip.bytes, to: "be.bin")
        let failure = try #require(checkpointError { () throws(CheckpointError) in _ = try PyTorchArchiveReader.open(path: path) })
        #expect(failure.description.contains("little-endian"))
    }

    // MARK: - safetensors

    @Test func safetensorsTensorsRead() throws {
        let path = try scratch.write(safetensorsBytes([
            ("b", "F32", [2], floatBytes([5, 6])),
            ("a", "F16", [2, 2], halfBytes([1, 2, 3, 4])),
            ("i", "I64", [1], le(Int64(7))),
        ]), to: "m.safetensors")
        let shard = try SafetensorsReader.open(path: path)
        #expect(shard.tensors.map(\.name) == ["b", "a", "i"])  // file order
        #expect(try shard.tensors[1].readAll() == [1, 2, 3, 4])
        #expect(shard.tensors[1].shape == [2, 2])
        #expect(shard.tensors[2].dtype == .int64)
        // Integer tensors are never weights.
        #expect(checkpointError { () throws(CheckpointError) in _ = try shard.tensors[2].readAll() }
                == .unknownDType(path: path, tensor: "i", dtype: "I64"))
    }

    func safetensorsError(_ bytes: [UInt8]) throws -> CheckpointError {
        let path = try scratch.write(bytes, to: "bad.safetensors")
        let failure = try #require(checkpointError { () throws(CheckpointError) in _ = try SafetensorsReader.open(path: path) })
        #expect(failure.description.hasPrefix(path + ": "))
        #expect(!failure.description.contains("\n"))
        return failure
    }

    @Test func safetensorsDamage() throws {
        let good = safetensorsBytes([("a", "F32", [2, 2], floatBytes([1, 2, 3, 4])), ("b", "F32", [1], floatBytes([5]))])
        for length in 0..<good.count {
            let path = try scratch.write(Array(good.prefix(length)), to: "cut.safetensors")
            #expect(checkpointError { () throws(CheckpointError) in _ = try SafetensorsReader.open(path: path) } != nil, "prefix \(length)")
        }
        #expect(try safetensorsError(le(UInt64(1) << 40) + [0x7B, 0x7D]).description.contains("header length"))
        #expect(try safetensorsError(le(UInt64(4)) + Array("nope".utf8)).description.contains("not a JSON object"))
        let unknown = try safetensorsError(safetensorsBytes([("a", "F8_E4M3", [2], [0, 0])]))
        #expect(unknown == .unknownDType(path: scratch.path("bad.safetensors"), tensor: "a", dtype: "F8_E4M3"))
        #expect(try safetensorsError(safetensorsBytes([("a", "F32", [3], floatBytes([1, 2]))])).description.contains("needs 12 bytes"))
        // Two tensors over the same bytes.
        var header = Array(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#.utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        #expect(try safetensorsError(le(UInt64(header.count)) + header + floatBytes([1, 2])).description.contains("overlap"))
        // Offsets past the end of the data.
        header = Array(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#.utf8)
        #expect(try safetensorsError(le(UInt64(header.count)) + header + floatBytes([1, 2])).description.contains("past the end"))
        header = Array(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#.utf8)
        #expect(try safetensorsError(le(UInt64(header.count)) + header + floatBytes([1])).description.contains("shape"))
    }
}
