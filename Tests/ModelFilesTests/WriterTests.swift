import Foundation
import Testing
@testable import ModelFiles
import Tensors

@Suite("GGUF writer: atomic output and misuse")
final class WriterTests {
    let scratch: ScratchDirectory

    init() throws { scratch = try ScratchDirectory() }
    deinit { scratch.remove() }

    /// A writer with two declared F32 tensors of 4 and 8 elements.
    func twoTensorWriter(_ path: String) -> GGUFWriter {
        let writer = GGUFWriter(path: path)
        writer.add(key: "general.architecture", value: .string("test"))
        writer.addTensor(name: "a", type: .f32, dimensions: [4], byteCount: 16)
        writer.addTensor(name: "b", type: .f32, dimensions: [2, 4], byteCount: 32)
        return writer
    }

    func write(_ writer: GGUFWriter, _ name: String, _ count: Int) throws {
        let bytes = [UInt8](repeating: 0xAB, count: count)
        try bytes.withUnsafeBytes { try writer.writeTensorData(name: name, bytes: $0) }
    }

    @Test("nothing exists under the final name until finish, and the partial file goes then")
    func atomicFinish() throws {
        let path = scratch.path("model.gguf")
        let writer = twoTensorWriter(path)
        try writer.writeHeader()
        #expect(fileExists(writer.partialPath))
        #expect(!fileExists(path))
        try write(writer, "a", 16)
        try write(writer, "b", 32)
        #expect(!fileExists(path))
        try writer.finish()
        #expect(fileExists(path))
        #expect(!fileExists(writer.partialPath))
        let file = try GGUFFile.open(path: path)
        #expect(file.tensors.map(\.name) == ["a", "b"])
        #expect(Array(file.bytes(of: file.tensors[1])) == [UInt8](repeating: 0xAB, count: 32))
    }

    @Test("abandon leaves no half-written file and keeps an older file intact")
    func abandonMidway() throws {
        let path = scratch.path("model.gguf")
        try GGUFWriter.write(path: path, metadata: [("general.name", .string("old"))])
        let before = try readBytes(path)

        let writer = twoTensorWriter(path)
        try writer.writeHeader()
        try write(writer, "a", 16)
        try write(writer, "b", 10)  // part of b
        writer.abandon()
        #expect(!fileExists(writer.partialPath))
        #expect(try readBytes(path) == before)
        #expect(try GGUFFile.open(path: path).metadata.string("general.name") == "old")
        // A writer that was abandoned cannot be finished into place.
        #expect(throws: ModelFileError.self) { try writer.finish() }
        #expect(try readBytes(path) == before)
    }

    @Test("a writer dropped before finish removes its partial file")
    func droppedWriter() throws {
        let path = scratch.path("dropped.gguf")
        do {
            let writer = twoTensorWriter(path)
            try writer.writeHeader()
            try write(writer, "a", 16)
            #expect(fileExists(path + ".partial"))
        }
        #expect(!fileExists(path + ".partial"))
        #expect(!fileExists(path))
    }

    /// Runs `misuse` on a writer whose header is written and checks that it throws
    /// `writerMisuse` and leaves nothing on disk.
    func expectMisuse(_ misuse: (GGUFWriter) throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = scratch.path("misuse.gguf")
        let writer = twoTensorWriter(path)
        try writer.writeHeader()
        do {
            try misuse(writer)
            Issue.record("no error", sourceLocation: sourceLocation)
        } catch let error as ModelFileError {
            guard case .writerMisuse(path, _) = error else {
                Issue.record("got \(error)", sourceLocation: sourceLocation)
                return
            }
        }
        #expect(!fileExists(writer.partialPath), sourceLocation: sourceLocation)
        #expect(!fileExists(path), sourceLocation: sourceLocation)
    }

    @Test func dataOutOfOrder() throws {
        try expectMisuse { try self.write($0, "b", 32) }
    }

    @Test func tooManyBytes() throws {
        try expectMisuse { try self.write($0, "a", 17) }
    }

    @Test func unknownTensor() throws {
        try expectMisuse { try self.write($0, "zzz", 4) }
    }

    @Test func finishWithIncompleteTensor() throws {
        try expectMisuse { writer in
            try self.write(writer, "a", 16)
            try self.write(writer, "b", 31)
            try writer.finish()
        }
    }

    @Test func declarationsAfterHeader() throws {
        try expectMisuse { writer in
            writer.add(key: "late.key", value: .bool(true))
            try self.write(writer, "a", 16)
        }
        try expectMisuse { writer in
            writer.addTensor(name: "late", type: .f32, dimensions: [1], byteCount: 4)
            try self.write(writer, "a", 16)
            try self.write(writer, "b", 32)
            try writer.finish()
        }
    }

    @Test func headerTwice() throws {
        try expectMisuse { try $0.writeHeader() }
    }

    @Test func dataAfterLastTensor() throws {
        try expectMisuse { writer in
            try self.write(writer, "a", 16)
            try self.write(writer, "b", 32)
            try self.write(writer, "b", 1)
        }
    }

    @Test("declarations that cannot be written are refused at writeHeader")
    func badDeclarations() throws {
        let path = scratch.path("bad.gguf")
        typealias Setup = (GGUFWriter) -> Void
        let cases: [(Setup, (ModelFileError) -> Bool)] = [
            ({ $0.addTensor(name: "t", type: .f32, dimensions: [4], byteCount: 15) },
             { if case .badTensorInfo(_, "t", _) = $0 { true } else { false } }),
            ({ $0.addTensor(name: "t", type: .q8_0, dimensions: [31], byteCount: 34) },
             { if case .badTensorInfo(_, "t", _) = $0 { true } else { false } }),
            ({ $0.addTensor(name: "t", type: GGMLType(rawValue: 4), dimensions: [32], byteCount: 18) },
             { if case .badTensorInfo(_, "t", _) = $0 { true } else { false } }),
            ({ $0.addTensor(name: "t", type: .f32, dimensions: [], byteCount: 4) },
             { if case .badTensorInfo(_, "t", _) = $0 { true } else { false } }),
            ({ $0.addTensor(name: "t", type: .f32, dimensions: [1], byteCount: 4)
               $0.addTensor(name: "t", type: .f32, dimensions: [1], byteCount: 4) },
             { if case .duplicateTensor(_, "t") = $0 { true } else { false } }),
            ({ $0.add(key: "k", value: .uint8(1)); $0.add(key: "k", value: .uint8(2)) },
             { if case .duplicateKey(_, "k") = $0 { true } else { false } }),
            ({ $0.add(key: "k", value: .array(elementType: GGUFValueType.int32, values: [.int32(1), .uint8(2)])) },
             { if case .badMetadata(_, "k", _) = $0 { true } else { false } }),
            ({ $0.add(key: "k", value: .array(elementType: 77, values: [])) },
             { if case .badMetadata(_, "k", _) = $0 { true } else { false } }),
            ({ $0.add(key: "general.alignment", value: .uint32(64)) },
             { if case .badMetadata(_, "general.alignment", _) = $0 { true } else { false } }),
        ]
        for (index, (setup, matches)) in cases.enumerated() {
            let writer = GGUFWriter(path: path)
            setup(writer)
            do {
                try writer.writeHeader()
                Issue.record("case \(index) wrote a header")
            } catch {
                #expect(matches(error), "case \(index): \(error)")
            }
            #expect(!fileExists(writer.partialPath))
        }
        for (alignment, version) in [(48, UInt32(3)), (0, 3), (32, 1), (32, 4)] {
            let writer = GGUFWriter(path: path, alignment: alignment, version: version)
            #expect(throws: ModelFileError.self) { try writer.writeHeader() }
        }
    }

    @Test("an explicit general.alignment equal to the writer's is kept once")
    func explicitAlignment() throws {
        let path = scratch.path("aligned.gguf")
        try GGUFWriter.write(path: path, metadata: [("general.alignment", .uint32(128))],
                             tensors: [.init(name: "x", dimensions: [3], floats: [1, 2, 3])], alignment: 128)
        let file = try GGUFFile.open(path: path)
        #expect(file.alignment == 128)
        #expect(file.metadata.keys == ["general.alignment"])
        #expect(file.dataOffset % 128 == 0)
    }

    @Test("a directory that does not exist gives a write error")
    func unwritableLocation() throws {
        let path = scratch.path("no/such/dir/model.gguf")
        let writer = GGUFWriter(path: path)
        #expect(throws: ModelFileError.self) { try writer.writeHeader() }
        do { try writer.writeHeader() } catch {
            // After the first failure the writer refuses everything.
            guard case .writerMisuse = error else { Issue.record("\(error)"); return }
        }
    }
}
