import ModelFiles

/// Why a model could not be loaded. Each description is one line naming the file.
public enum ModelLoadError: Error, Equatable, CustomStringConvertible {
    case file(ModelFileError)
    case missingMetadata(file: String, key: String)
    case invalidMetadata(file: String, key: String, reason: String)
    case unsupportedArchitecture(file: String, architecture: String)
    case unsupportedFeature(file: String, feature: String)
    case missingTensor(file: String, name: String)
    case unsupportedTensorType(file: String, name: String, type: String)
    case tensorShape(file: String, name: String, expected: [Int], actual: [Int])
    case tokenizer(file: String, reason: String)

    public var description: String {
        switch self {
        case let .file(error): return error.description
        case let .missingMetadata(file, key): return "\(file): metadata key '\(key)' is missing"
        case let .invalidMetadata(file, key, reason): return "\(file): metadata '\(key)': \(reason)"
        case let .unsupportedArchitecture(file, arch):
            let known = LlamaConfiguration.supportedArchitectures.sorted().joined(separator: ", ")
            return "\(file): architecture '\(arch)' is not supported (supported: \(known))"
        case let .unsupportedFeature(file, feature): return "\(file): \(feature) is not supported"
        case let .missingTensor(file, name): return "\(file): tensor '\(name)' is missing"
        case let .unsupportedTensorType(file, name, type):
            return "\(file): tensor '\(name)' has type \(type), which this engine cannot compute with"
        case let .tensorShape(file, name, expected, actual):
            return "\(file): tensor '\(name)' has shape \(actual), expected \(expected)"
        case let .tokenizer(file, reason): return "\(file): tokenizer: \(reason)"
        }
    }
}
