import Foundation
import Testing
@testable import CheckpointConversion

/// The restricted unpickler on hand-assembled pickles: what a state dict needs is read, and
/// anything else (a dangerous global, an unknown opcode, damage) is refused with one line.
@Suite struct PickleReaderTests {
    let path = "pytorch_model-00001-of-00002.bin"

    func read(_ bytes: [UInt8]) throws(CheckpointError) -> [(name: String, tensor: PickledTensor)] {
        var result: [(name: String, tensor: PickledTensor)] = []
        var failure: CheckpointError?
        bytes.withUnsafeBytes { raw in
            do throws(CheckpointError) {
                result = try PickleReader.readStateDict(raw, path: path)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return result
    }

    func error(_ bytes: [UInt8]) -> CheckpointError? {
        checkpointError { () throws(CheckpointError) in _ = try read(bytes) }
    }

    @Test func readsAStateDictAsTorchSaveWritesIt() throws {
        let bytes = PickleBytes.stateDict([
            ("a.weight", "0", "HalfStorage", [3, 4]),
            ("a.bias", "1", "FloatStorage", [3]),
            ("b", "2", "BFloat16Storage", [2, 1, 5]),
        ])
        let tensors = try read(bytes)
        #expect(tensors.map(\.name) == ["a.weight", "a.bias", "b"])
        #expect(tensors[0].tensor == PickledTensor(storageKey: "0", dtype: .float16, storageElements: 12, offset: 0,
                                                   shape: [3, 4], strides: [4, 1]))
        #expect(tensors[1].tensor.dtype == .float32)
        #expect(tensors[2].tensor.dtype == .bfloat16)
        #expect(tensors[2].tensor.strides == [5, 5, 1])
    }

    /// A state dict saved from `model.state_dict()` is an OrderedDict with a `_metadata`
    /// attribute (BUILD), and storages shared between tensors come back through the memo.
    @Test func readsOrderedDictWithMetadataAndSharedStorage() throws {
        var p = PickleBytes()
        p.proto()
        p.global("collections", "OrderedDict")
        p.emptyTuple()
        p.reduce()
        p.binput(0)
        p.mark()
        p.string("x")
        // x views elements 2..7 of storage "s" as [2, 3] with a parameter wrapper.
        p.global("torch._utils", "_rebuild_parameter")
        p.global("torch._utils", "_rebuild_tensor_v2")
        p.mark()
        p.mark()
        p.string("storage")
        p.global("torch", "FloatStorage")
        p.binunicode("s")
        p.string("cpu")
        p.int(100_000)
        p.tuple()
        p.persid()
        p.binput(1)
        p.int(2)
        p.intTuple([2, 3])
        p.intTuple([3, 1])
        p.newFalse()
        p.global("collections", "OrderedDict")
        p.emptyTuple()
        p.reduce()
        p.tuple()
        p.reduce()
        p.op(0x89)  // requires_grad False
        p.emptyDict()
        p.op(0x87)  // TUPLE3
        p.reduce()
        p.string("y")
        // y: the same storage (from the memo), a transposed view with a LONG1 offset.
        p.global("torch._utils", "_rebuild_tensor_v2")
        p.mark()
        p.binget(1)
        p.int(70_000)
        p.intTuple([3, 2])
        p.intTuple([1, 3])
        p.op(0x88)  // NEWTRUE
        p.emptyDict()
        p.op(0x4E)  // NONE as metadata (7 arguments)
        p.tuple()
        p.reduce()
        p.setItems()
        // state: {'_metadata': {'': {'version': 1}}}
        p.emptyDict()
        p.string("_metadata")
        p.emptyDict()
        p.string("")
        p.emptyDict()
        p.string("version")
        p.int(1)
        p.setItem()
        p.setItem()
        p.setItem()
        p.op(0x62)  // BUILD
        p.stop()
        let tensors = try read(p.bytes)
        #expect(tensors.count == 2)
        #expect(tensors[0].tensor == PickledTensor(storageKey: "s", dtype: .float32, storageElements: 100_000, offset: 2,
                                                   shape: [2, 3], strides: [3, 1]))
        #expect(tensors[1].tensor == PickledTensor(storageKey: "s", dtype: .float32, storageElements: 100_000, offset: 70_000,
                                                   shape: [3, 2], strides: [1, 3]))
    }

    @Test func protocolFourFramesMemoizeAndStackGlobal() throws {
        var p = PickleBytes()
        p.proto(4)
        p.op(0x95)
        p.bytes += le(UInt64(0))  // FRAME with a length the reader ignores
        p.emptyDict()
        p.op(0x94)  // MEMOIZE
        p.string("t")
        p.string("torch._utils")
        p.string("_rebuild_tensor_v2")
        p.op(0x93)  // STACK_GLOBAL
        p.mark()
        p.mark()
        p.string("storage")
        p.string("torch")
        p.string("LongStorage")
        p.op(0x93)
        p.string("0")
        p.string("cpu")
        p.int(4)
        p.tuple()
        p.persid()
        p.int(0)
        p.intTuple([1, 4])
        p.intTuple([4, 1])
        p.newFalse()
        p.emptyDict()
        p.tuple()
        p.reduce()
        p.setItem()
        p.stop()
        let tensors = try read(p.bytes)
        #expect(tensors.map(\.tensor.dtype) == [.int64])
    }

    @Test func negativeAndLargeIntegers() throws {
        // LONG1 of 3 bytes (-2) as a storage offset is refused: offsets are non-negative.
        var p = PickleBytes()
        p.proto()
        p.emptyDict()
        p.string("t")
        p.global("torch._utils", "_rebuild_tensor_v2")
        p.mark()
        p.mark()
        p.string("storage")
        p.global("torch", "FloatStorage")
        p.string("0")
        p.string("cpu")
        p.int(4)
        p.tuple()
        p.persid()
        p.bytes += [0x8A, 3, 0xFE, 0xFF, 0xFF]
        p.intTuple([4])
        p.intTuple([1])
        p.newFalse()
        p.emptyDict()
        p.tuple()
        p.reduce()
        p.setItem()
        p.stop()
        let failure = try #require(error(p.bytes))
        guard case .malformedPickle(_, _, let reason) = failure else { Issue.record("got \(failure)"); return }
        #expect(reason.contains("offset"))
    }

    @Test("os.system through GLOBAL is refused by name")
    func forbiddenGlobal() throws {
        var p = PickleBytes()
        p.proto()
        p.global("os", "system")
        p.string("echo pwned")
        p.op(0x85)
        p.reduce()
        p.stop()
        let failure = try #require(error(p.bytes))
        #expect(failure == .forbiddenPickleGlobal(path: path, global: "os.system"))
        #expect(failure.description == "pytorch_model-00001-of-00002.bin: forbidden pickle global 'os.system'")
    }

    @Test("os.system through STACK_GLOBAL is refused by name")
    func forbiddenStackGlobal() throws {
        var p = PickleBytes()
        p.proto(4)
        p.string("os")
        p.string("system")
        p.op(0x93)
        p.stop()
        #expect(error(p.bytes) == .forbiddenPickleGlobal(path: path, global: "os.system"))
    }

    @Test(arguments: [("builtins", "eval"), ("torch", "load"), ("torch", "FloatTensor"), ("collections", "defaultdict"),
                      ("torch._utils", "_rebuild_from_type_v2"), ("subprocess", "Popen")])
    func otherGlobalsAreForbidden(module: String, name: String) throws {
        var p = PickleBytes()
        p.proto()
        p.emptyDict()
        p.string("k")
        p.global(module, name)
        p.setItem()
        p.stop()
        #expect(error(p.bytes) == .forbiddenPickleGlobal(path: path, global: "\(module).\(name)"))
    }

    /// Opcodes a state dict never needs: INST and OBJ (which call classes), EXT codes, lists,
    /// bytes and floats.
    @Test(arguments: [UInt8(0x69), 0x6F, 0x82, 0x5D, 0x65, 0x43, 0x47, 0x81, 0x92, 0x00, 0xFF])
    func unknownOpcodesAreRefused(opcode: UInt8) throws {
        var p = PickleBytes()
        p.proto()
        p.emptyDict()
        p.op(opcode)
        p.stop()
        let failure = try #require(error(p.bytes))
        #expect(failure == .unsupportedPickleOpcode(path: path, opcode: opcode, offset: 3))
        #expect(failure.description.hasPrefix("\(path): pickle opcode 0x"))
    }

    @Test func everyTruncationIsAnError() throws {
        let bytes = PickleBytes.stateDict([("a", "0", "FloatStorage", [2, 2]), ("b", "1", "HalfStorage", [3])])
        #expect(try read(bytes).count == 2)
        for length in 0..<bytes.count {
            let failure = try #require(error(Array(bytes.prefix(length))), "prefix of \(length) bytes")
            #expect(failure.description.hasPrefix(path + ": "))
            #expect(!failure.description.contains("\n"))
        }
    }

    /// Damage that keeps to allowed opcodes still has to describe a state dict.
    @Test func structuralDamage() throws {
        func expectMalformed(_ build: (inout PickleBytes) -> Void, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            var p = PickleBytes()
            p.proto()
            build(&p)
            let failure = error(p.bytes)
            guard case .malformedPickle(_, _, let reason)? = failure else {
                Issue.record("got \(String(describing: failure))", sourceLocation: sourceLocation)
                return
            }
            #expect(reason.contains(fragment), "\(reason)", sourceLocation: sourceLocation)
        }
        expectMalformed({ $0.int(3); $0.stop() }, "not a state dict")
        expectMalformed({ $0.emptyDict(); $0.int(1); $0.int(2); $0.setItem(); $0.stop() }, "key")
        expectMalformed({ $0.emptyDict(); $0.string("a"); $0.int(2); $0.setItem(); $0.stop() }, "not a tensor")
        expectMalformed({ $0.setItem(); $0.stop() }, "underflow")
        expectMalformed({ $0.emptyDict(); $0.binget(7); $0.stop() }, "memo")
        expectMalformed({ $0.emptyDict(); $0.mark(); $0.int(1); $0.setItems(); $0.stop() }, "odd")
        expectMalformed({ $0.emptyDict(); $0.int(1); $0.stop() }, "STOP")
        expectMalformed({ $0.emptyDict(); $0.string("x"); $0.global("torch", "FloatStorage"); $0.emptyTuple(); $0.reduce(); $0.setItem(); $0.stop() },
                        "persistent id")
        // A persistent id that is not a storage tuple.
        expectMalformed({ $0.emptyDict(); $0.string("x"); $0.string("storage"); $0.op(0x85); $0.persid(); $0.setItem(); $0.stop() },
                        "persistent id")
        // Containers nested absurdly deep.
        expectMalformed({ p in
            p.emptyDict()
            p.emptyTuple()
            for _ in 0..<100 { p.op(0x85) }
            p.stop()
        }, "nested")
    }

    /// A dict filled after it was placed inside another container could deepen a structure
    /// past the depth limit unseen (then freeing it would overflow the stack): refused.
    @Test func dictsCannotBeFilledOnceNested() throws {
        var p = PickleBytes()
        p.proto()
        p.emptyDict()
        p.binput(0)
        p.op(0x85)  // (d,)
        p.binget(0)
        p.string("k")
        p.none()
        p.setItem()  // d is inside the tuple now
        p.stop()
        let failure = try #require(error(p.bytes))
        guard case .malformedPickle(_, _, let reason) = failure else { Issue.record("got \(failure)"); return }
        #expect(reason.contains("already inside another container"))
    }

    /// One-byte opcodes cannot make the reader allocate without bound.
    @Test func valueCountIsBounded() throws {
        var p = PickleBytes()
        p.proto()
        p.mark()
        p.bytes += [UInt8](repeating: 0x4E, count: PickleReader.maximumValues + 1)
        p.stop()
        let failure = try #require(error(p.bytes))
        guard case .malformedPickle(_, _, let reason) = failure else { Issue.record("got \(failure)"); return }
        #expect(reason.contains("more than"))
    }

    @Test func duplicateNamesAreRefused() throws {
        let bytes = PickleBytes.stateDict([("a", "0", "FloatStorage", [2]), ("a", "1", "FloatStorage", [2])])
        #expect(error(bytes) == .duplicateTensor(path: path, tensor: "a"))
    }

    @Test func unusableStorageTypesAreNamed() throws {
        var p = PickleBytes()
        p.proto()
        p.emptyDict()
        p.string("t")
        p.tensor(storage: "0", storageType: "ComplexFloatStorage", elements: 2, shape: [2])
        p.setItem()
        p.stop()
        let failure = try #require(error(p.bytes))
        #expect(failure.description == "\(path): tensors of storage type torch.ComplexFloatStorage cannot be converted "
                + "(floating-point and integer storages only)")
    }

    @Test func storageTypesMapToDTypes() {
        let names = ["FloatStorage": StoredDType.float32, "HalfStorage": .float16, "BFloat16Storage": .bfloat16,
                     "DoubleStorage": .float64, "LongStorage": .int64, "IntStorage": .int32, "ShortStorage": .int16,
                     "CharStorage": .int8, "ByteStorage": .uint8, "BoolStorage": .bool]
        for (name, dtype) in names { #expect(StoredDType(torchStorageName: name) == dtype) }
        #expect(StoredDType(torchStorageName: "ComplexFloatStorage") == nil)
    }
}
