/// A restricted unpickler that reads a PyTorch state dict and nothing else.
///
/// A pickle is a program for a small stack machine whose `GLOBAL` and `REDUCE` opcodes can
/// import and call anything, which is why loading an untrusted `.bin` with Python runs code.
/// This reader implements only the opcodes `torch.save` emits for a dict of tensors and
/// recognises only the globals such a dict needs (`AllowedGlobal`), each mapped to a fixed
/// built-in meaning; every other opcode or global stops the read with an error naming it.
/// Tensors come out as descriptions (storage key, dtype, offset, shape, strides); their data
/// stays in the archive.
struct PickleReader {
    /// The deepest container nesting accepted (a state dict needs about 4).
    static let maximumDepth = 64
    /// The most values and memo entries a pickle may create, so a hostile one cannot exhaust
    /// memory with short opcodes.
    static let maximumValues = 1 << 20

    private let input: LittleEndianBytes
    private var position = 0
    private var stack: [PickleValue] = []
    /// Stack heights at each MARK.
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    private var created = 0

    private init(bytes: UnsafeRawBufferPointer, path: String) {
        input = LittleEndianBytes(bytes: bytes, path: path)
    }

    /// The state dict pickled in `bytes`, in file order.
    /// - Parameter path: the file named in errors.
    static func readStateDict(_ bytes: UnsafeRawBufferPointer, path: String) throws(CheckpointError)
        -> [(name: String, tensor: PickledTensor)]
    {
        var reader = PickleReader(bytes: bytes, path: path)
        let result = try reader.run()
        guard case .dict(let dict) = result else {
            throw .malformedPickle(path: path, offset: 0, reason: "the pickle holds \(result.kind), not a state dict")
        }
        var tensors: [(name: String, tensor: PickledTensor)] = []
        var seen = Set<String>()
        for (key, value) in dict.items {
            guard case .string(let name) = key else {
                throw .malformedPickle(path: path, offset: 0, reason: "a state dict key is \(key.kind), not a string")
            }
            guard case .tensor(let tensor) = value else {
                throw .malformedPickle(path: path, offset: 0,
                                       reason: "entry '\(oneLine(name))' is \(value.kind), not a tensor (not a plain state dict)")
            }
            guard seen.insert(name).inserted else { throw .duplicateTensor(path: path, tensor: name) }
            tensors.append((name, tensor))
        }
        return tensors
    }

    // MARK: - The machine

    private mutating func run() throws(CheckpointError) -> PickleValue {
        while true {
            let start = position
            let opcode = try byte()
            switch opcode {
            case 0x80: // PROTO
                let version = try byte()
                guard version >= 2, version <= 5 else { throw malformed(start, "pickle protocol \(version) is not supported") }
            case 0x95: // FRAME: a length prefix for buffering; the data follows inline.
                let length = try unsigned(8)
                guard length <= UInt64(input.count - position) else { throw malformed(start, "frame of \(length) bytes runs past the end") }
            case 0x2E: // STOP
                guard marks.isEmpty, stack.count == 1 else {
                    throw malformed(start, "STOP with \(stack.count) values and \(marks.count) marks on the stack")
                }
                return stack[0]
            case 0x28: // MARK
                marks.append(stack.count)
            case 0x7D: // EMPTY_DICT
                try push(.dict(PickleDict()), start)
            case 0x29: // EMPTY_TUPLE
                try push(.tuple(PickleTuple([])), start)
            case 0x85, 0x86, 0x87: // TUPLE1, TUPLE2, TUPLE3
                let count = Int(opcode - 0x84)
                guard stack.count - (marks.last ?? 0) >= count else { throw malformed(start, "TUPLE\(count) on too short a stack") }
                let items = Array(stack.suffix(count))
                stack.removeLast(count)
                try push(.tuple(PickleTuple(items)), start)
            case 0x74: // TUPLE
                try push(.tuple(PickleTuple(try popToMark(start))), start)
            case 0x4E: // NONE
                try push(.none, start)
            case 0x88: try push(.bool(true), start) // NEWTRUE
            case 0x89: try push(.bool(false), start) // NEWFALSE
            case 0x4B: try push(.int(Int(try unsigned(1))), start) // BININT1
            case 0x4D: try push(.int(Int(try unsigned(2))), start) // BININT2
            case 0x4A: try push(.int(Int(Int32(truncatingIfNeeded: try unsigned(4)))), start) // BININT
            case 0x8A: // LONG1: n bytes of little-endian two's complement
                let length = Int(try unsigned(1))
                guard length <= 8 else { throw malformed(start, "integer of \(length) bytes is too large for a tensor description") }
                let raw = try unsigned(length)
                let value = length == 0 ? 0
                    : length == 8 ? Int(Int64(bitPattern: raw))
                    : Int(Int64(bitPattern: raw << UInt64(64 - 8 * length)) >> Int64(64 - 8 * length))
                try push(.int(value), start)
            case 0x58: try push(.string(try text(length: try unsigned(4), start)), start) // BINUNICODE
            case 0x8C: try push(.string(try text(length: try unsigned(1), start)), start) // SHORT_BINUNICODE
            case 0x8D: try push(.string(try text(length: try unsigned(8), start)), start) // BINUNICODE8
            case 0x71: try remember(Int(try unsigned(1)), start) // BINPUT
            case 0x72: try remember(Int(try unsigned(4)), start) // LONG_BINPUT
            case 0x94: try remember(memo.count, start) // MEMOIZE
            case 0x68: try recall(Int(try unsigned(1)), start) // BINGET
            case 0x6A: try recall(Int(try unsigned(4)), start) // LONG_BINGET
            case 0x63: // GLOBAL "module\nname\n"
                let module = try line(start)
                let name = try line(start)
                try push(.global(try allowedGlobal(module: module, name: name)), start)
            case 0x93: // STACK_GLOBAL
                guard stack.count - (marks.last ?? 0) >= 2,
                      case .string(let name) = stack[stack.count - 1],
                      case .string(let module) = stack[stack.count - 2] else {
                    throw malformed(start, "STACK_GLOBAL needs a module and a name string on the stack")
                }
                stack.removeLast(2)
                try push(.global(try allowedGlobal(module: module, name: name)), start)
            case 0x52: // REDUCE
                let arguments = try pop(start), callable = try pop(start)
                guard case .tuple(let tuple) = arguments else { throw malformed(start, "REDUCE arguments are \(arguments.kind), not a tuple") }
                try push(try call(callable, tuple.items, start), start)
            case 0x51: // BINPERSID
                try push(try persistentLoad(try pop(start), start), start)
            case 0x73: // SETITEM
                let value = try pop(start), key = try pop(start)
                guard case .dict(let dict)? = stack.last, stack.count > (marks.last ?? 0) else {
                    throw malformed(start, "SETITEM without a dict under the key and value")
                }
                guard !dict.isSealed else { throw malformed(start, "SETITEM on a dict already inside another container") }
                dict.set(key, value)
                try checkDepth(.dict(dict), start)
            case 0x75: // SETITEMS
                let items = try popToMark(start)
                guard items.count % 2 == 0 else { throw malformed(start, "SETITEMS with an odd number of values") }
                guard case .dict(let dict)? = stack.last, stack.count > (marks.last ?? 0) else {
                    throw malformed(start, "SETITEMS without a dict under the mark")
                }
                guard !dict.isSealed else { throw malformed(start, "SETITEMS on a dict already inside another container") }
                for index in stride(from: 0, to: items.count, by: 2) { dict.set(items[index], items[index + 1]) }
                try checkDepth(.dict(dict), start)
            case 0x62: // BUILD: only an OrderedDict's attribute dict (the `_metadata` of a
                // state dict), which describes module versions and is not needed.
                let state = try pop(start)
                guard case .dict? = stack.last, stack.count > (marks.last ?? 0) else {
                    throw malformed(start, "BUILD is only accepted on a dict")
                }
                guard case .dict = state else { throw malformed(start, "BUILD with \(state.kind) as the state") }
            default:
                throw CheckpointError.unsupportedPickleOpcode(path: input.path, opcode: opcode, offset: start)
            }
        }
    }

    /// What calling one of the allowed globals gives.
    private func call(_ callable: PickleValue, _ arguments: [PickleValue], _ start: Int) throws(CheckpointError) -> PickleValue {
        guard case .global(let global) = callable else { throw malformed(start, "REDUCE calls \(callable.kind)") }
        switch global {
        case .orderedDict:
            guard arguments.isEmpty else { throw malformed(start, "OrderedDict called with arguments") }
            return .dict(PickleDict())
        case .rebuildTensor:
            guard arguments.count == 6 || arguments.count == 7 else {
                throw malformed(start, "_rebuild_tensor_v2 called with \(arguments.count) arguments (6 or 7 expected)")
            }
            guard case .storage(let key, let dtype, let elements) = arguments[0] else {
                throw malformed(start, "_rebuild_tensor_v2 on \(arguments[0].kind), not a storage")
            }
            guard case .int(let offset) = arguments[1], offset >= 0 else {
                throw malformed(start, "tensor storage offset is \(arguments[1].kind), not a non-negative int")
            }
            let shape = try integers(arguments[2], "size", start)
            let strides = try integers(arguments[3], "stride", start)
            guard shape.count == strides.count else {
                throw malformed(start, "tensor size \(shape) and stride \(strides) differ in length")
            }
            guard case .bool = arguments[4] else { throw malformed(start, "requires_grad is \(arguments[4].kind)") }
            return .tensor(PickledTensor(storageKey: key, dtype: dtype, storageElements: elements,
                                         offset: offset, shape: shape, strides: strides))
        case .rebuildParameter:
            guard arguments.count == 3, case .tensor = arguments[0] else {
                throw malformed(start, "_rebuild_parameter needs (tensor, requires_grad, hooks)")
            }
            return arguments[0]
        case .storageType(_, let name):
            throw malformed(start, "torch.\(name) is only allowed inside a persistent id")
        }
    }

    /// A persistent id `('storage', torch.XStorage, key, location, numel)` as a storage.
    private func persistentLoad(_ id: PickleValue, _ start: Int) throws(CheckpointError) -> PickleValue {
        guard case .tuple(let tuple) = id, tuple.items.count == 5,
              case .string("storage") = tuple.items[0] else {
            throw malformed(start, "persistent id is not ('storage', type, key, location, size)")
        }
        guard case .global(.storageType(let dtype, _)) = tuple.items[1] else {
            throw malformed(start, "persistent id names \(tuple.items[1].kind) as the storage type")
        }
        guard case .string(let key) = tuple.items[2], !key.isEmpty, !key.contains("/"), key != "..", key != "." else {
            throw malformed(start, "storage key is not a plain name")
        }
        guard case .string = tuple.items[3] else { throw malformed(start, "storage location is not a string") }
        guard case .int(let elements) = tuple.items[4], elements >= 0 else {
            throw malformed(start, "storage size is not a non-negative int")
        }
        return .storage(key: key, dtype: dtype, elements: elements)
    }

    private func allowedGlobal(module: String, name: String) throws(CheckpointError) -> AllowedGlobal {
        // A storage class of a dtype the converter does not read (complex, float8, ...) is
        // harmless but unusable: say so rather than call it forbidden.
        if module == "torch", name.hasSuffix("Storage"), name.count < 40, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
           AllowedGlobal(module: module, name: name) == nil {
            throw .unsupported(path: input.path, reason: "tensors of storage type torch.\(name) cannot be converted "
                + "(floating-point and integer storages only)")
        }
        guard let global = AllowedGlobal(module: module, name: name) else {
            throw .forbiddenPickleGlobal(path: input.path, global: "\(module).\(name)")
        }
        return global
    }

    private func integers(_ value: PickleValue, _ what: String, _ start: Int) throws(CheckpointError) -> [Int] {
        guard case .tuple(let tuple) = value else { throw malformed(start, "tensor \(what) is \(value.kind), not a tuple") }
        var result: [Int] = []
        for item in tuple.items {
            guard case .int(let number) = item, number >= 0 else {
                throw malformed(start, "tensor \(what) holds \(item.kind) that is not a non-negative int")
            }
            result.append(number)
        }
        return result
    }

    // MARK: - Stack and memo

    private mutating func push(_ value: PickleValue, _ start: Int) throws(CheckpointError) {
        try checkDepth(value, start)
        try countValue(start)
        stack.append(value)
    }

    /// Counts a value or memo entry made, against `maximumValues`.
    private mutating func countValue(_ start: Int) throws(CheckpointError) {
        created += 1
        guard created <= Self.maximumValues else {
            throw malformed(start, "more than \(Self.maximumValues) values (a state dict of the real model has about 25,000)")
        }
    }

    private func checkDepth(_ value: PickleValue, _ start: Int) throws(CheckpointError) {
        guard value.depth <= Self.maximumDepth else {
            throw malformed(start, "containers nested deeper than \(Self.maximumDepth)")
        }
    }

    private mutating func pop(_ start: Int) throws(CheckpointError) -> PickleValue {
        guard stack.count > (marks.last ?? 0) else { throw malformed(start, "stack underflow") }
        return stack.removeLast()
    }

    private mutating func popToMark(_ start: Int) throws(CheckpointError) -> [PickleValue] {
        guard let mark = marks.popLast() else { throw malformed(start, "no MARK to collect values up to") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func remember(_ index: Int, _ start: Int) throws(CheckpointError) {
        guard let top = stack.last, stack.count > (marks.last ?? 0) else { throw malformed(start, "memo store from an empty stack") }
        try countValue(start)
        memo[index] = top
    }

    private mutating func recall(_ index: Int, _ start: Int) throws(CheckpointError) {
        guard let value = memo[index] else { throw malformed(start, "memo entry \(index) was never stored") }
        stack.append(value)
    }

    // MARK: - Reading the input

    private mutating func byte() throws(CheckpointError) -> UInt8 {
        guard position < input.count else {
            throw .corrupt(path: input.path, offset: position, reason: "the pickle ends before its STOP opcode")
        }
        defer { position += 1 }
        return input.bytes[position]
    }

    /// A little-endian unsigned integer of `count` bytes (at most 8).
    private mutating func unsigned(_ count: Int) throws(CheckpointError) -> UInt64 {
        guard count <= input.count - position else {
            throw .corrupt(path: input.path, offset: position, reason: "the pickle ends inside an opcode's argument")
        }
        var value: UInt64 = 0
        for index in (0..<count).reversed() { value = value << 8 | UInt64(input.bytes[position + index]) }
        position += count
        return value
    }

    private mutating func text(length: UInt64, _ start: Int) throws(CheckpointError) -> String {
        guard length <= UInt64(input.count - position) else {
            throw .corrupt(path: input.path, offset: start, reason: "a string of \(length) bytes runs past the end of the pickle")
        }
        let count = Int(length)
        let slice = UnsafeRawBufferPointer(rebasing: input.bytes[position..<(position + count)])
        position += count
        guard let string = String(validating: slice, as: UTF8.self) else { throw malformed(start, "string is not UTF-8") }
        return string
    }

    /// A newline-terminated argument of GLOBAL (a module or attribute name).
    private mutating func line(_ start: Int) throws(CheckpointError) -> String {
        let limit = min(input.count, position + 256)
        var end = position
        while end < limit, input.bytes[end] != 0x0A { end += 1 }
        guard end < limit else {
            if limit == input.count { throw .corrupt(path: input.path, offset: start, reason: "the pickle ends inside a GLOBAL name") }
            throw malformed(start, "GLOBAL name longer than 255 bytes")
        }
        let slice = UnsafeRawBufferPointer(rebasing: input.bytes[position..<end])
        position = end + 1
        guard let string = String(validating: slice, as: UTF8.self) else { throw malformed(start, "GLOBAL name is not UTF-8") }
        return string
    }

    private func malformed(_ offset: Int, _ reason: String) -> CheckpointError {
        .malformedPickle(path: input.path, offset: offset, reason: reason)
    }
}
