/// The key–value metadata of a GGUF file, in file order, with typed look-ups.
///
/// Model code asks for what it needs in the type it needs (`integer("llama.block_count")`)
/// and gets nil when a key is absent or holds something else, so a missing or mistyped
/// hyper-parameter is reported by the caller with the key's name.
public struct GGUFMetadata: Sendable {
    /// Keys in file order.
    public let keys: [String]
    private let values: [String: GGUFValue]

    /// Metadata from entries in order; a key given twice keeps its first place and last value.
    public init(_ entries: [(key: String, value: GGUFValue)]) {
        var keys: [String] = []
        var values: [String: GGUFValue] = [:]
        keys.reserveCapacity(entries.count)
        values.reserveCapacity(entries.count)
        for (key, value) in entries {
            if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        }
        self.keys = keys
        self.values = values
    }

    /// Built by the reader, which has already rejected duplicate keys.
    init(uniqueKeys keys: [String], values: [String: GGUFValue]) {
        self.keys = keys
        self.values = values
    }

    /// Number of keys.
    public var count: Int { keys.count }

    /// The value stored under `key`, as typed in the file.
    public subscript(key: String) -> GGUFValue? { values[key] }

    /// A string value.
    public func string(_ key: String) -> String? { values[key]?.stringValue }

    /// An integer of any width that fits in `Int` (not a bool, not a float).
    public func integer(_ key: String) -> Int? { values[key]?.intValue }

    /// A float32 or float64 value, or an integer value converted.
    public func float(_ key: String) -> Double? { values[key]?.doubleValue }

    /// A bool value (integers are not read as bools).
    public func bool(_ key: String) -> Bool? {
        if case .bool(let b)? = values[key] { return b }
        return nil
    }

    /// The number of elements of an array value, without converting them (cheaper than
    /// `stringArray(key)?.count` for a vocabulary).
    public func arrayCount(_ key: String) -> Int? {
        if case .array(_, let elements)? = values[key] { return elements.count }
        return nil
    }

    /// An array whose elements are all strings.
    public func stringArray(_ key: String) -> [String]? {
        guard case .array(_, let elements)? = values[key] else { return nil }
        var out: [String] = []
        out.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let s) = element else { return nil }
            out.append(s)
        }
        return out
    }

    /// An array whose elements are all numbers (floats, or integers converted).
    public func floatArray(_ key: String) -> [Float]? {
        guard case .array(_, let elements)? = values[key] else { return nil }
        var out: [Float] = []
        out.reserveCapacity(elements.count)
        for element in elements {
            switch element {
            case .float32(let f): out.append(f)
            default:
                guard let d = element.doubleValue else { return nil }
                out.append(Float(d))
            }
        }
        return out
    }

    /// An array whose elements are all integers that fit in `Int`.
    public func integerArray(_ key: String) -> [Int]? {
        guard case .array(_, let elements)? = values[key] else { return nil }
        var out: [Int] = []
        out.reserveCapacity(elements.count)
        for element in elements {
            guard let i = element.intValue else { return nil }
            out.append(i)
        }
        return out
    }
}
