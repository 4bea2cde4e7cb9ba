/// A tensor as a PyTorch state dict pickles it: a view into one storage of the archive.
public struct PickledTensor: Sendable, Equatable {
    /// The storage's key: its bytes are the archive entry `<archive>/data/<key>`.
    public var storageKey: String
    public var dtype: StoredDType
    /// Elements in the whole storage (several tensors may share one).
    public var storageElements: Int
    /// First element of the view, in elements from the start of the storage.
    public var offset: Int
    public var shape: [Int]
    /// Element strides, outermost first, as PyTorch gives them.
    public var strides: [Int]
}

/// The values the restricted unpickler builds. Anything a state dict does not contain has no
/// case, so it cannot be built.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case string(String)
    case tuple(PickleTuple)
    case dict(PickleDict)
    /// One of the allowed globals, not yet called.
    case global(AllowedGlobal)
    /// A storage named by a persistent id.
    case storage(key: String, dtype: StoredDType, elements: Int)
    case tensor(PickledTensor)

    /// How deeply containers nest inside this value (0 for a scalar). Bounded so that a
    /// hostile pickle cannot build a structure too deep to free without overflowing the stack.
    var depth: Int {
        switch self {
        case .tuple(let tuple): return tuple.depth
        case .dict(let dict): return dict.depth
        default: return 0
        }
    }

    /// Marks a dict as placed inside a container (see `PickleDict`).
    func seal() {
        if case .dict(let dict) = self { dict.seal() }
    }

    /// A short name of the kind of value, for messages.
    var kind: String {
        switch self {
        case .none: return "None"
        case .bool: return "a bool"
        case .int: return "an int"
        case .string: return "a string"
        case .tuple: return "a tuple"
        case .dict: return "a dict"
        case .global(let global): return "the global '\(global.qualifiedName)'"
        case .storage: return "a storage"
        case .tensor: return "a tensor"
        }
    }
}

/// An immutable tuple with its nesting depth.
final class PickleTuple {
    let items: [PickleValue]
    let depth: Int

    init(_ items: [PickleValue]) {
        for item in items { item.seal() }
        self.items = items
        depth = 1 + (items.map(\.depth).max() ?? 0)
    }
}

/// A dict, by reference as in Python: the pickle memoises a dict before filling it, and a
/// later reference through the memo must see the items added since.
///
/// Once a dict is inside another container it is sealed and can no longer be filled. Pickles
/// of state dicts always fill a dict before using it; without the rule, a hostile pickle could
/// deepen a dict after its depth was counted into its parents and so build a structure too
/// deep to free.
final class PickleDict {
    private(set) var items: [(key: PickleValue, value: PickleValue)] = []
    private(set) var depth = 1
    private(set) var isSealed = false

    func set(_ key: PickleValue, _ value: PickleValue) {
        precondition(!isSealed, "the reader checks isSealed before filling a dict")
        key.seal()
        value.seal()
        items.append((key, value))
        depth = max(depth, 1 + max(key.depth, value.depth))
    }

    func seal() { isSealed = true }
}

/// The only globals a pickled state dict may name. Each is recognised by name and stands for
/// a fixed, built-in behaviour: nothing named in the file is ever looked up or run.
enum AllowedGlobal: Equatable {
    /// `collections.OrderedDict`: called with no arguments, gives an empty dict.
    case orderedDict
    /// `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])`.
    case rebuildTensor
    /// `torch._utils._rebuild_parameter(tensor, requires_grad, hooks)`.
    case rebuildParameter
    /// `torch.FloatStorage` and its siblings: only a tag inside a persistent id.
    case storageType(StoredDType, name: String)

    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensor
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch", _):
            guard let dtype = StoredDType(torchStorageName: name) else { return nil }
            self = .storageType(dtype, name: name)
        default: return nil
        }
    }

    var qualifiedName: String {
        switch self {
        case .orderedDict: return "collections.OrderedDict"
        case .rebuildTensor: return "torch._utils._rebuild_tensor_v2"
        case .rebuildParameter: return "torch._utils._rebuild_parameter"
        case .storageType(_, let name): return "torch.\(name)"
        }
    }
}
