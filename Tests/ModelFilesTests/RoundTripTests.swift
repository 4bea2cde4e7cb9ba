import Foundation
import Testing
@testable import ModelFiles
import Tensors

@Suite("GGUF writer → reader round trips")
struct RoundTripTests {
    @Test("every value type and nested arrays come back equal", arguments: [UInt32(2), 3])
    func everyValueType(version: UInt32) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path("values.gguf")
        let entries = everyValueTypeMetadata()
        try GGUFWriter.write(path: path, metadata: entries, version: version)

        let file = try GGUFFile.open(path: path)
        #expect(file.version == version)
        #expect(file.alignment == 32)
        #expect(file.tensors.isEmpty)
        #expect(file.metadata.keys == entries.map(\.key))
        for (key, value) in entries {
            #expect(file.metadata[key] == value, "key \(key)")
        }
    }

    @Test("tensors of several types keep name, shape, type and bytes", arguments: [1, 32, 64, 4096])
    func tensors(alignment: Int) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path("tensors.gguf")
        let tensors = sampleTensors()
        try GGUFWriter.write(path: path, metadata: [("general.architecture", .string("test"))],
                             tensors: tensors, alignment: alignment)

        let file = try GGUFFile.open(path: path)
        #expect(file.alignment == alignment)
        #expect(file.dataOffset % alignment == 0)
        #expect(file.tensors.map(\.name) == tensors.map(\.name))
        // The writer records a non-default alignment so readers find the data.
        #expect(file.metadata.integer("general.alignment") == (alignment == 32 ? nil : alignment))
        for written in tensors {
            let info = try #require(file.tensor(named: written.name))
            #expect(info.dimensions == written.dimensions)
            #expect(info.type == written.type)
            #expect(info.byteCount == written.bytes.count)
            #expect(info.elementCount == written.dimensions.reduce(1, *))
            #expect(info.offset % alignment == 0)
            let stored = Array(file.bytes(of: info))
            #expect(stored == written.bytes, "data of \(written.name)")
            #expect(file.data(of: info) == file.bytes(of: info).baseAddress)
        }
        #expect(file.tensor(named: "absent") == nil)
    }

    @Test("the writer's bytes follow the spec's layout exactly")
    func exactLayout() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path("layout.gguf")
        let floats: [Float] = [1, -2, 0.5]
        try GGUFWriter.write(
            path: path,
            metadata: [("a.key", .uint32(7)),
                       ("a.list", .array(elementType: GGUFValueType.string, values: [.string("xy")]))],
            tensors: [.init(name: "t", dimensions: [3], floats: floats)])

        var expected = RawGGUF(version: 3, tensorCount: 1, keyCount: 2)
        expected.keyUInt32("a.key", 7)
        expected.string("a.list")
        expected.u32(GGUFValueType.array)
        expected.u32(GGUFValueType.string)
        expected.u64(1)
        expected.string("xy")
        expected.tensor("t", dims: [3], type: GGMLType.f32.rawValue, offset: 0)
        expected.pad()
        for f in floats { expected.u32(f.bitPattern) }
        expected.pad()
        #expect(try readBytes(path) == expected.bytes)
    }

    @Test("tensor data streamed in pieces equals data written at once")
    func streamedPieces() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let tensors = sampleTensors()
        let whole = scratch.path("whole.gguf")
        try GGUFWriter.write(path: whole, metadata: [], tensors: tensors)

        let pieces = scratch.path("pieces.gguf")
        let writer = GGUFWriter(path: pieces)
        for t in tensors { writer.addTensor(name: t.name, type: t.type, dimensions: t.dimensions, byteCount: t.bytes.count) }
        try writer.writeHeader()
        for t in tensors {
            try t.bytes.withUnsafeBytes { raw in
                var start = 0
                while start < raw.count {
                    let end = min(raw.count, start + 7)
                    try writer.writeTensorData(name: t.name, bytes: UnsafeRawBufferPointer(rebasing: raw[start ..< end]))
                    start = end
                }
            }
        }
        try writer.finish()
        #expect(try readBytes(pieces) == readBytes(whole))
        #expect(!fileExists(writer.partialPath))
    }

    @Test("typed accessors read any width and refuse other kinds")
    func accessors() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path("accessors.gguf")
        try GGUFWriter.write(path: path, metadata: everyValueTypeMetadata())
        let m = try GGUFFile.open(path: path).metadata

        #expect(m.integer("test.uint8") == 255)
        #expect(m.integer("test.int64") == Int(Int64.min))
        #expect(m.integer("test.uint32") == Int(UInt32.max))
        #expect(m.integer("test.uint64") == nil, "UInt64.max does not fit in Int")
        #expect(m.integer("test.bool_true") == nil, "a bool is not an integer")
        #expect(m.integer("test.float32") == nil)
        #expect(m.float("test.float64") == .pi)
        #expect(m.float("test.float32") == Double(Float(-1.5e-7)))
        #expect(m.float("test.int16") == -32768)
        #expect(m.float("test.string") == nil)
        #expect(m.bool("test.bool_true") == true)
        #expect(m.bool("test.bool_false") == false)
        #expect(m.bool("test.uint8") == nil)
        #expect(m.string("test.string") == "héllo, 世界 🎉")
        #expect(m.string("test.uint8") == nil)
        #expect(m.stringArray("test.array_string") == ["a", "", "ü"])
        #expect(m.stringArray("test.array_int32") == nil)
        #expect(m.integerArray("test.array_int32") == [-1, 3])
        #expect(m.integerArray("test.array_uint8") == [0, 255])
        #expect(m.integerArray("test.array_uint64") == nil, "2^63 does not fit in Int")
        #expect(m.integerArray("test.array_string") == nil)
        #expect(m.floatArray("test.array_float32") == [0.25, -2])
        #expect(m.floatArray("test.array_int32") == [-1, 3])
        #expect(m.floatArray("test.array_empty") == [])
        #expect(m.floatArray("test.array_bool") == nil)
        #expect(m.stringArray("test.string") == nil, "a scalar is not an array")
        #expect(m.arrayCount("test.array_string") == 3)
        #expect(m.arrayCount("test.array_of_arrays") == 4)
        #expect(m.arrayCount("test.string") == nil)
        #expect(m["missing.key"] == nil)
        #expect(m.integer("missing.key") == nil)
    }

    @Test("metadata built in memory keeps first place and last value of a repeated key")
    func inMemoryMetadata() {
        let m = GGUFMetadata([("a", .uint8(1)), ("b", .string("x")), ("a", .uint8(2))])
        #expect(m.keys == ["a", "b"])
        #expect(m.integer("a") == 2)
        #expect(m.count == 2)
    }
}
